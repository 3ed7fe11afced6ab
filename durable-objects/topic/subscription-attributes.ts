/**
 * A subscription's settable attributes (Subscribe's Attributes, SetSubscriptionAttributes) with
 * SNS's validation, and the full set GetSubscriptionAttributes answers. Pure functions.
 */
import { SqsError, type StringMap } from "../../sdk/protocol/index.js";
import type { FilterPolicyScope, TopicPorts } from "./ports.js";
import type { Protocol } from "./types.js";

const SETTABLE = new Set([
  "RawMessageDelivery",
  "FilterPolicy",
  "FilterPolicyScope",
  "RedrivePolicy",
  "DeliveryPolicy",
  "SubscriptionRoleArn",
  "ReplayPolicy",
]);
const RAW_PROTOCOLS = new Set<string>(["sqs", "http", "https", "firehose"]);
const SQS_ARN = /^arn:aws[\w-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/;
const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\/.+$/;

const invalid = (what: string) => new SqsError("InvalidParameter", `Invalid parameter: ${what}`);

export interface SubscriptionKind {
  protocol: Protocol;
  topicFifo: boolean;
}

/**
 * Validates `updates` against the subscription's current attributes; answers the attributes to
 * store (an empty value removes one, as SNS does for FilterPolicy).
 */
export function applySubscriptionAttributes(
  current: StringMap,
  updates: StringMap,
  kind: SubscriptionKind,
  ports: Checks,
  action: "Subscribe" | "SetSubscriptionAttributes",
): StringMap {
  const next: StringMap = { ...current };
  for (const [name, value] of Object.entries(updates)) {
    if (!SETTABLE.has(name)) throw invalid("AttributeName");
    if (value === "" && name !== "RawMessageDelivery") {
      delete next[name];
      continue;
    }
    next[name] = value;
  }
  for (const name of Object.keys(updates)) check(name, next, kind, ports, action);
  // The scope is checked with the policy, so a scope change re-reads the policy stored.
  if ("FilterPolicyScope" in updates && next.FilterPolicy) check("FilterPolicy", next, kind, ports, action);
  return next;
}

type Checks = Pick<TopicPorts, "checkFilterPolicy" | "subscriptionDeliveryPolicy">;

function check(name: string, attrs: StringMap, kind: SubscriptionKind, ports: Checks, action: "Subscribe" | "SetSubscriptionAttributes"): void {
  const value = attrs[name];
  if (value === undefined) return;
  switch (name) {
    case "RawMessageDelivery":
      if (value !== "true" && value !== "false") throw invalid("RawMessageDelivery: Invalid value [" + value + "]. Must be true or false.");
      if (value === "true" && !RAW_PROTOCOLS.has(kind.protocol)) {
        throw invalid(`Delivery protocol [${kind.protocol}] does not support raw message delivery.`);
      }
      return;
    case "FilterPolicyScope":
      if (value !== "MessageAttributes" && value !== "MessageBody") {
        throw invalid("FilterPolicyScope: Invalid filter policy scope, please specify MessageAttributes or MessageBody");
      }
      return;
    case "FilterPolicy":
      ports.checkFilterPolicy(value, filterScope(attrs), action);
      return;
    case "RedrivePolicy": {
      let target: unknown;
      try {
        target = (JSON.parse(value) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
      } catch {
        throw invalid("RedrivePolicy: failed to parse JSON.");
      }
      if (typeof target !== "string") throw invalid("RedrivePolicy: deadLetterTargetArn is missing");
      if (!SQS_ARN.test(target)) throw invalid("RedrivePolicy: deadLetterTargetArn is an invalid arn");
      return;
    }
    case "DeliveryPolicy":
      if (kind.protocol !== "http" && kind.protocol !== "https") {
        throw invalid(`DeliveryPolicy: Delivery policy is not supported for protocol ${kind.protocol}`);
      }
      // Kept in the form SNS stores it.
      attrs[name] = ports.subscriptionDeliveryPolicy(value);
      return;
    case "SubscriptionRoleArn":
      if (!ROLE_ARN.test(value)) throw invalid("SubscriptionRoleArn");
      return;
    case "ReplayPolicy":
      if (!kind.topicFifo) throw invalid("ReplayPolicy: Replay is only supported for FIFO topics");
      return;
  }
}

export function filterScope(attrs: StringMap): FilterPolicyScope {
  return attrs.FilterPolicyScope === "MessageBody" ? "MessageBody" : "MessageAttributes";
}

export interface SubscriptionFacts {
  subscriptionArn: string;
  topicArn: string;
  protocol: Protocol;
  endpoint: string;
  owner: string;
  confirmed: boolean;
  attributes: StringMap;
  effectiveDeliveryPolicy: string;
  failures: number;
  lastFailure?: string;
}

/** GetSubscriptionAttributes: SNS's set, plus Sluice's own delivery-failure count and reason. */
export function readSubscriptionAttributes(facts: SubscriptionFacts): StringMap {
  const out: StringMap = {
    SubscriptionArn: facts.subscriptionArn,
    TopicArn: facts.topicArn,
    Owner: facts.owner,
    Protocol: facts.protocol,
    Endpoint: facts.endpoint,
    ConfirmationWasAuthenticated: String(facts.confirmed),
    PendingConfirmation: String(!facts.confirmed),
    SubscriptionPrincipal: `arn:aws:iam::${facts.owner}:root`,
  };
  if (RAW_PROTOCOLS.has(facts.protocol)) out.RawMessageDelivery = facts.attributes.RawMessageDelivery ?? "false";
  if (facts.protocol === "http" || facts.protocol === "https") out.EffectiveDeliveryPolicy = facts.effectiveDeliveryPolicy;
  for (const [name, value] of Object.entries(facts.attributes)) if (!(name in out)) out[name] = value;
  if (facts.attributes.FilterPolicy) out.FilterPolicyScope = filterScope(facts.attributes);
  // Not SNS's: where an operator sees that deliveries fail (a queue Policy refusing the topic, say).
  if (facts.failures > 0) {
    out.DeliveryFailures = String(facts.failures);
    if (facts.lastFailure) out.LastDeliveryFailure = facts.lastFailure;
  }
  return out;
}
