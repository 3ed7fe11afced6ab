/**
 * What topics take from the modules built beside them: filter policies (filter-policy/), the
 * notification signature (../signing/) and HTTP delivery policies (delivery-policy.ts). Until
 * those are wired in here, the stand-ins below keep everything else working and honest about
 * what they lack: a FilterPolicy is checked as JSON and stored, and matches every message; a
 * notification carries an empty Signature; a DeliveryPolicy is checked as JSON, and only its
 * retry count and minimum delay are used; HTTP(S) posts are plain fetches with SNS's headers.
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

const HTTP_TIMEOUT_MS = 15_000;

/** A plain POST with SNS's headers; 2xx delivers, 1xx/5xx/no answer is retried, the rest is not. */
async function standInPost(post: HttpPost): Promise<HttpPostResult> {
  const headers = new Headers({
    "content-type": "text/plain; charset=UTF-8",
    "x-amz-sns-message-type": post.messageType,
    "x-amz-sns-message-id": post.messageId,
    "x-amz-sns-topic-arn": post.topicArn,
  });
  if (post.subscriptionArn && post.messageType !== "SubscriptionConfirmation") headers.set("x-amz-sns-subscription-arn", post.subscriptionArn);
  try {
    const response = await fetch(post.endpoint, { method: "POST", headers, body: post.body, redirect: "manual", signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
    await response.body?.cancel().catch(() => undefined);
    const status = response.status;
    if (status >= 200 && status < 300) return { ok: true, retryable: false, status };
    return { ok: false, retryable: status < 200 || status >= 500, status };
  } catch (error) {
    return { ok: false, retryable: true, error: error instanceof Error ? error.message : String(error) };
  }
}

/** SNS's layout of a SubscriptionConfirmation, unsigned. */
async function standInConfirmation(input: ConfirmationInput, version: "1" | "2"): Promise<string> {
  const query = (v: string) => encodeURIComponent(v).replaceAll("%3A", ":");
  const fields: [string, string][] = [
    ["Type", "SubscriptionConfirmation"],
    ["MessageId", input.messageId],
    ["Token", input.token],
    ["TopicArn", input.topicArn],
    ["Message", `You have chosen to subscribe to the topic ${input.topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`],
    ["SubscribeURL", `${input.origin}/?Action=ConfirmSubscription&TopicArn=${query(input.topicArn)}&Token=${query(input.token)}`],
    ["Timestamp", input.timestamp.toISOString()],
    ["SignatureVersion", version],
    ["Signature", ""],
    ["SigningCertURL", `${input.origin}/SimpleNotificationService-unsigned.pem`],
  ];
  return `{\n${fields.map(([k, v]) => `  ${JSON.stringify(k)} : ${JSON.stringify(v)}`).join(",\n")}\n}`;
}

/** SNS's delivery policy when the topic sets none: HTTP endpoints get three retries 20 s apart. */
const DEFAULT_EFFECTIVE_DELIVERY_POLICY = JSON.stringify({
  http: {
    defaultHealthyRetryPolicy: {
      minDelayTarget: 20,
      maxDelayTarget: 20,
      numRetries: 3,
      numMaxDelayRetries: 0,
      numNoDelayRetries: 0,
      numMinDelayRetries: 0,
      backoffFunction: "linear",
    },
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: "text/plain; charset=UTF-8" },
  },
});

interface RetryFields {
  numRetries?: number;
  minDelayTarget?: number;
}

/** The healthy retry policy's retries at its minimum delay (the default: three, 20 s apart). */
function standInRetryDelays(topicPolicy: string | undefined, subscriptionPolicy: string | undefined): number[] {
  const read = (json: string | undefined) => {
    try {
      const parsed = json ? (JSON.parse(json) as { http?: { defaultHealthyRetryPolicy?: RetryFields }; healthyRetryPolicy?: RetryFields }) : {};
      return parsed.healthyRetryPolicy ?? parsed.http?.defaultHealthyRetryPolicy;
    } catch {
      return undefined;
    }
  };
  const retry = read(subscriptionPolicy) ?? read(topicPolicy) ?? {};
  return Array.from({ length: retry.numRetries ?? 3 }, () => (retry.minDelayTarget ?? 20) * 1000);
}

export const STAND_IN_PORTS: TopicPorts = {
  checkFilterPolicy: (json) => checkJsonObject(json, "FilterPolicy"),
  filterMatcher: () => () => true,
  topicDeliveryPolicy: (json) => (checkJsonObject(json, "DeliveryPolicy"), json),
  subscriptionDeliveryPolicy: (json) => (checkJsonObject(json, "DeliveryPolicy"), json),
  effectiveTopicDeliveryPolicy: (topic) => topic ?? DEFAULT_EFFECTIVE_DELIVERY_POLICY,
  effectiveSubscriptionDeliveryPolicy: (topic, subscription) => {
    const [delay] = standInRetryDelays(topic, subscription);
    const retries = standInRetryDelays(topic, subscription).length;
    const seconds = (delay ?? 20_000) / 1000;
    return JSON.stringify({
      healthyRetryPolicy: { minDelayTarget: seconds, maxDelayTarget: seconds, numRetries: retries, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: "linear" },
      sicklyRetryPolicy: null,
      throttlePolicy: null,
      requestPolicy: { headerContentType: "text/plain; charset=UTF-8" },
      guaranteed: false,
    });
  },
  sign: async (_fields, _version, origin) => ({ signature: "", signingCertUrl: `${origin}/SimpleNotificationService-unsigned.pem` }),
  postHttp: standInPost,
  confirmationBody: standInConfirmation,
  httpRetryDelays: standInRetryDelays,
};
