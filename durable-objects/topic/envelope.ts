/**
 * What a subscription receives for a publish: the message text for its protocol (MessageStructure
 * `json` picks the protocol's own entry, else `default`), and SNS's JSON envelope around it, field
 * for field in SNS's order and layout, unless the subscription asked for raw delivery.
 */
import type { PublishAttribute, PublishEntry } from "./types.js";

/** The message a protocol's subscribers get. */
export function messageFor(entry: PublishEntry, protocol: string): string {
  if (entry.messageStructure !== "json") return entry.message;
  const parsed = JSON.parse(entry.message) as Record<string, unknown>;
  const text = parsed[protocol] ?? parsed.default;
  return typeof text === "string" ? text : JSON.stringify(text);
}

export interface EnvelopeFields {
  messageId: string;
  sequenceNumber?: string;
  topicArn: string;
  subject?: string;
  message: string;
  timestamp: string;
  signatureVersion: "1" | "2";
  signature: string;
  signingCertUrl: string;
  unsubscribeUrl: string;
  attributes?: Record<string, PublishAttribute>;
}

/** SNS's notification JSON, laid out as SNS lays it out (`"Key" : value`, two-space indent). */
export function notificationEnvelope(f: EnvelopeFields): string {
  const fields: [string, unknown][] = [
    ["Type", "Notification"],
    ["MessageId", f.messageId],
  ];
  if (f.sequenceNumber !== undefined) fields.push(["SequenceNumber", f.sequenceNumber]);
  fields.push(["TopicArn", f.topicArn]);
  if (f.subject !== undefined) fields.push(["Subject", f.subject]);
  fields.push(
    ["Message", f.message],
    ["Timestamp", f.timestamp],
    ["SignatureVersion", f.signatureVersion],
    ["Signature", f.signature],
    ["SigningCertURL", f.signingCertUrl],
    ["UnsubscribeURL", f.unsubscribeUrl],
  );
  if (f.attributes && Object.keys(f.attributes).length > 0) {
    const attributes: Record<string, { Type: string; Value: string }> = {};
    for (const [name, value] of Object.entries(f.attributes)) {
      attributes[name] = { Type: value.DataType, Value: value.BinaryValue ?? value.StringValue ?? "" };
    }
    fields.push(["MessageAttributes", attributes]);
  }
  return `{\n${fields.map(([k, v]) => `  ${JSON.stringify(k)} : ${JSON.stringify(v)}`).join(",\n")}\n}`;
}

export function unsubscribeUrl(origin: string, subscriptionArn: string): string {
  return `${origin}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`;
}
