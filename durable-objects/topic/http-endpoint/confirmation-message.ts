/**
 * The SubscriptionConfirmation and UnsubscribeConfirmation messages SNS posts to an HTTP/HTTPS
 * endpoint ("Parsing message formats"): their fields, worded as SNS words them, and the JSON
 * body laid out as SNS lays it out. The token is the caller's; ConfirmSubscription checks it.
 */
import type { NotificationFields, SignatureVersion } from "../../signing/notification-signature.js";

export interface ConfirmationInput {
  type: "SubscriptionConfirmation" | "UnsubscribeConfirmation";
  topicArn: string;
  /** Named in an UnsubscribeConfirmation's text. */
  subscriptionArn?: string;
  token: string;
  /** The address the Subscribe or Unsubscribe request called (scheme, host, port), as queue URLs are built from. */
  origin: string;
  messageId: string;
  timestamp: Date;
}

export interface MessageSignature {
  signatureVersion: SignatureVersion;
  signature: string;
  signingCertUrl: string;
}

/**
 * `SubscribeURL`: visiting it confirms the subscription. Colons stay as they are, as in SNS's
 * own URLs; anything else that is not URL-safe is escaped.
 */
export function subscribeUrl(origin: string, topicArn: string, token: string): string {
  const query = (value: string) => encodeURIComponent(value).replaceAll("%3A", ":");
  return `${origin}/?Action=ConfirmSubscription&TopicArn=${query(topicArn)}&Token=${query(token)}`;
}

function confirmationText(input: ConfirmationInput): string {
  if (input.type === "SubscriptionConfirmation") {
    return `You have chosen to subscribe to the topic ${input.topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`;
  }
  return `You have chosen to deactivate subscription ${input.subscriptionArn ?? input.topicArn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`;
}

/** The fields of the message, which its signature covers. */
export function confirmationFields(input: ConfirmationInput): NotificationFields {
  return {
    Type: input.type,
    MessageId: input.messageId,
    Token: input.token,
    TopicArn: input.topicArn,
    Message: confirmationText(input),
    SubscribeURL: subscribeUrl(input.origin, input.topicArn, input.token),
    Timestamp: input.timestamp.toISOString(),
  };
}

/** The JSON body: SNS's key order and its `"Key" : value` layout, two spaces in. */
export function confirmationBody(fields: NotificationFields, signed: MessageSignature): string {
  const entries: [string, string | undefined][] = [
    ["Type", fields.Type],
    ["MessageId", fields.MessageId],
    ["Token", fields.Token],
    ["TopicArn", fields.TopicArn],
    ["Message", fields.Message],
    ["SubscribeURL", fields.SubscribeURL],
    ["Timestamp", fields.Timestamp],
    ["SignatureVersion", signed.signatureVersion],
    ["Signature", signed.signature],
    ["SigningCertURL", signed.signingCertUrl],
  ];
  const lines = entries.filter(([, value]) => value !== undefined).map(([key, value]) => `  ${JSON.stringify(key)} : ${JSON.stringify(value)}`);
  return `{\n${lines.join(",\n")}\n}`;
}
