/**
 * What topics take from the modules built beside them, as one interface the fan-out and the
 * attribute checks are written against: filter policies (filter-policy/), the notification
 * signature (../signing/), DeliveryPolicy (delivery-policy.ts) and the HTTP(S) POST
 * (http-delivery.ts). wired-ports.ts puts them together.
 */

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

/** One POST to an HTTP(S) endpoint, as SNS makes it (its headers name the message and the topic). */
export interface HttpPost {
  endpoint: string;
  messageType: NotificationFields["Type"];
  messageId: string;
  topicArn: string;
  subscriptionArn?: string;
  rawDelivery?: boolean;
  body: string;
}

export interface HttpPostResult {
  ok: boolean;
  /** Not delivered, and worth another attempt (a 5xx, a timeout, no connection). */
  retryable: boolean;
  status?: number;
  error?: string;
}

/** What a SubscriptionConfirmation is made of. */
export interface ConfirmationInput {
  topicArn: string;
  token: string;
  origin: string;
  messageId: string;
  timestamp: Date;
}

export interface TopicPorts {
  /** Throws SqsError InvalidParameter (AWS's message) for a bad policy; `action` words the message. */
  checkFilterPolicy(json: string, scope: FilterPolicyScope, action: "Subscribe" | "SetSubscriptionAttributes"): void;
  /** A compiled matcher for a stored (valid) policy. */
  filterMatcher(json: string, scope: FilterPolicyScope): (message: FilterableMessage) => boolean;
  /** A topic's DeliveryPolicy, checked (SqsError InvalidParameter) and answered in the form SNS stores. */
  topicDeliveryPolicy(json: string): string;
  /** An HTTP(S) subscription's DeliveryPolicy, likewise. */
  subscriptionDeliveryPolicy(json: string): string;
  /** The topic's EffectiveDeliveryPolicy attribute. */
  effectiveTopicDeliveryPolicy(topicPolicy: string | undefined): string;
  /** An HTTP(S) subscription's EffectiveDeliveryPolicy attribute. */
  effectiveSubscriptionDeliveryPolicy(topicPolicy: string | undefined, subscriptionPolicy: string | undefined): string;
  /** Milliseconds before each retry of an HTTP(S) delivery, as those policies say. */
  httpRetryDelays(topicPolicy: string | undefined, subscriptionPolicy: string | undefined): number[];
  /** The notification's Signature and the URL of the certificate that verifies it. */
  sign(fields: NotificationFields, version: "1" | "2", origin: string): Promise<{ signature: string; signingCertUrl: string }>;
  /** Posts once; never throws for the endpoint's sake. */
  postHttp(post: HttpPost): Promise<HttpPostResult>;
  /** The signed SubscriptionConfirmation body. */
  confirmationBody(input: ConfirmationInput, version: "1" | "2"): Promise<string>;
}
