/**
 * What topics take from the modules built beside them: filter policies (filter-policy/), the
 * notification signature (../signing/) and HTTP delivery policies (delivery-policy.ts). Until
 * those are wired in here, the stand-ins below keep everything else working and honest about
 * what they lack: a FilterPolicy is checked as JSON and stored, and matches every message; a
 * notification carries an empty Signature; a DeliveryPolicy is checked as JSON.
 */
import { SqsError } from "../../sdk/protocol/index.js";

/** A message as a filter policy sees it. */
export interface FilterableMessage {
  body: string;
  attributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }>;
}

export type FilterPolicyScope = "MessageAttributes" | "MessageBody";

/** The fields a notification's signature covers, in SNS's names. */
export interface NotificationFields {
  Type: "Notification" | "SubscriptionConfirmation" | "UnsubscribeConfirmation";
  MessageId: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
  Timestamp: string;
  Token?: string;
  SubscribeURL?: string;
}

export interface TopicPorts {
  /** Throws SqsError InvalidParameter (AWS's message) for a bad policy. */
  checkFilterPolicy(json: string, scope: FilterPolicyScope): void;
  /** A compiled matcher for a stored (valid) policy. */
  filterMatcher(json: string, scope: FilterPolicyScope): (message: FilterableMessage) => boolean;
  /** Throws SqsError InvalidParameter for a bad DeliveryPolicy (topic or subscription). */
  checkDeliveryPolicy(json: string): void;
  /** The notification's Signature and the URL of the certificate that verifies it. */
  sign(fields: NotificationFields, version: "1" | "2", origin: string): Promise<{ signature: string; signingCertUrl: string }>;
}

function checkJsonObject(json: string, attribute: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new SqsError("InvalidParameter", `Invalid parameter: ${attribute}: failed to parse JSON.`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new SqsError("InvalidParameter", `Invalid parameter: ${attribute}: JSON must be an object.`);
  }
}

export const STAND_IN_PORTS: TopicPorts = {
  checkFilterPolicy: (json) => checkJsonObject(json, "FilterPolicy"),
  filterMatcher: () => () => true,
  checkDeliveryPolicy: (json) => checkJsonObject(json, "DeliveryPolicy"),
  sign: async (_fields, _version, origin) => ({ signature: "", signingCertUrl: `${origin}/SimpleNotificationService-unsigned.pem` }),
};
