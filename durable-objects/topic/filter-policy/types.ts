/**
 * The shapes a filter policy compiles to and the message it is matched against. Plain data only,
 * so a compiled policy can be cached, cloned or sent over RPC.
 */

export type FilterPolicyScope = "MessageAttributes" | "MessageBody";

/**
 * The action that carried the policy: AWS words the same error differently for each
 * (`Invalid parameter: Attributes Reason: FilterPolicy: …` for Subscribe,
 * `Invalid parameter: FilterPolicy: …` for SetSubscriptionAttributes).
 */
export type FilterPolicyAction = "Subscribe" | "SetSubscriptionAttributes";

/** A number as the matcher compares it: the value times 10^6, truncated (six decimal places, as AWS compares). */
export type ComparableNumber = number;

/** An IP range, inclusive at both ends, as bytes (4 for IPv4, 16 for IPv6). */
export interface IpRange {
  bottom: number[];
  top: number[];
}

/** One bound of a numeric range. */
export interface NumericBound {
  value: ComparableNumber;
  open: boolean;
}

/** One match value of a policy property: `"a"`, `5`, `null`, `{"prefix": "a"}`, … */
export type Pattern =
  | { kind: "string"; value: string }
  | { kind: "number"; value: ComparableNumber }
  | { kind: "literal"; value: boolean | null }
  | { kind: "prefix"; value: string }
  | { kind: "suffix"; value: string }
  | { kind: "equals-ignore-case"; value: string }
  | { kind: "anything-but"; strings: string[]; numbers: ComparableNumber[] }
  | { kind: "anything-but-prefix"; value: string }
  | { kind: "numeric"; lower?: NumericBound; upper?: NumericBound }
  | { kind: "exists"; value: boolean }
  | { kind: "cidr"; range: IpRange };

/** A property of the policy: its path (names joined with "."), and the values any one of which it accepts. */
export interface PolicyField {
  path: string;
  /** The names from the top of the policy down to this property (a name may itself contain dots). */
  names: string[];
  patterns: Pattern[];
}

/**
 * A parsed, validated filter policy. `branches` is the policy with every `$or` expanded: a message
 * matches when every field of at least one branch matches.
 */
export interface FilterPolicy {
  scope: FilterPolicyScope;
  branches: PolicyField[][];
}

/** A message attribute as Publish received it. */
export interface FilterMessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

/** What a policy is matched against: the published body and message attributes (raw delivery changes neither). */
export interface FilterMessage {
  body: string;
  attributes: Record<string, FilterMessageAttribute>;
}

/** A value a pattern is tested on: a JSON scalar from the body or an attribute. */
export type MatchValue =
  | { type: "string"; value: string }
  | { type: "number"; value: ComparableNumber | undefined }
  | { type: "boolean"; value: boolean }
  | { type: "null" };
