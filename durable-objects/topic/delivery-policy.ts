/**
 * HTTP/HTTPS DeliveryPolicy, as SNS has it: the topic's (`{"http":{"defaultHealthyRetryPolicy",
 * "disableSubscriptionOverrides","defaultThrottlePolicy","defaultRequestPolicy"}}`) and a
 * subscription's (`{"healthyRetryPolicy","throttlePolicy","requestPolicy"}`), checked with SNS's
 * rules ("Amazon SNS message delivery retries"), stored in the form SNS answers them in (its key
 * order, fields left out as null), and merged into the EffectiveDeliveryPolicy SNS reports. The
 * retry schedule a policy implies is http-endpoint/retry-delays.ts.
 */
import { SqsError } from "../../sdk/protocol/index.js";
import {
  completeRetryPolicy,
  DEFAULT_CONTENT_TYPE,
  parseRequestPolicy,
  parseRetryPolicy,
  parseThrottlePolicy,
  section,
  type Fields,
} from "./http-endpoint/policy-parts.js";
import type { RequestPolicy, RetryPolicy, RetryPolicyInput, ThrottlePolicy } from "./http-endpoint/policy-parts.js";

export type { BackoffFunction, RequestPolicy, RetryPolicy, RetryPolicyInput, ThrottlePolicy } from "./http-endpoint/policy-parts.js";
export { DEFAULT_CONTENT_TYPE, DEFAULT_RETRY_POLICY } from "./http-endpoint/policy-parts.js";

export interface TopicDeliveryPolicy {
  http?: {
    defaultHealthyRetryPolicy?: RetryPolicyInput;
    disableSubscriptionOverrides: boolean;
    defaultThrottlePolicy?: ThrottlePolicy;
    defaultRequestPolicy?: RequestPolicy;
  };
}

export interface SubscriptionDeliveryPolicy {
  healthyRetryPolicy: RetryPolicyInput | null;
  sicklyRetryPolicy: RetryPolicyInput | null;
  throttlePolicy: ThrottlePolicy | null;
  requestPolicy: RequestPolicy | null;
  guaranteed: boolean;
}

/** What a subscription's deliveries follow, as EffectiveDeliveryPolicy reports it: every retry field filled in. */
export interface EffectiveSubscriptionDeliveryPolicy {
  healthyRetryPolicy: RetryPolicy;
  sicklyRetryPolicy: RetryPolicyInput | null;
  throttlePolicy: ThrottlePolicy | null;
  requestPolicy: RequestPolicy;
  guaranteed: boolean;
}

const invalid = (reason: string) => new SqsError("InvalidParameter", `Invalid parameter: DeliveryPolicy: ${reason}`);

function parseObject(json: string): Fields {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw invalid("failed to parse JSON.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw invalid("JSON must be an object.");
  return parsed as Fields;
}

function flag(value: unknown, path: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== "boolean") throw invalid(`${path} must be a boolean`);
  return value;
}

const TOPIC_MEMBERS = ["http"] as const;
const HTTP_MEMBERS = ["defaultHealthyRetryPolicy", "disableSubscriptionOverrides", "defaultThrottlePolicy", "defaultRequestPolicy"] as const;
const SUBSCRIPTION_MEMBERS = ["healthyRetryPolicy", "sicklyRetryPolicy", "throttlePolicy", "requestPolicy", "guaranteed"] as const;

/** A topic's DeliveryPolicy attribute, checked; throws SqsError InvalidParameter with SNS's message. */
export function parseTopicDeliveryPolicy(json: string): TopicDeliveryPolicy {
  const top = section(parseObject(json), "DeliveryPolicy", TOPIC_MEMBERS, invalid)!;
  const http = section(top.http, "http", HTTP_MEMBERS, invalid);
  if (!http) return {};
  const retry = parseRetryPolicy(http.defaultHealthyRetryPolicy, "http.defaultHealthyRetryPolicy", invalid);
  const disableSubscriptionOverrides = flag(http.disableSubscriptionOverrides, "http.disableSubscriptionOverrides");
  const throttle = parseThrottlePolicy(http.defaultThrottlePolicy, "http.defaultThrottlePolicy", invalid);
  const request = parseRequestPolicy(http.defaultRequestPolicy, "http.defaultRequestPolicy", invalid);
  // Built in SNS's key order, so JSON.stringify writes the stored form.
  return {
    http: {
      ...(retry && { defaultHealthyRetryPolicy: retry }),
      disableSubscriptionOverrides,
      ...(throttle && { defaultThrottlePolicy: throttle }),
      ...(request && { defaultRequestPolicy: request }),
    },
  };
}

/** A subscription's DeliveryPolicy attribute, checked; throws SqsError InvalidParameter with SNS's message. */
export function parseSubscriptionDeliveryPolicy(json: string): SubscriptionDeliveryPolicy {
  const fields = section(parseObject(json), "DeliveryPolicy", SUBSCRIPTION_MEMBERS, invalid)!;
  return {
    healthyRetryPolicy: parseRetryPolicy(fields.healthyRetryPolicy, "healthyRetryPolicy", invalid) ?? null,
    sicklyRetryPolicy: parseRetryPolicy(fields.sicklyRetryPolicy, "sicklyRetryPolicy", invalid) ?? null,
    throttlePolicy: parseThrottlePolicy(fields.throttlePolicy, "throttlePolicy", invalid) ?? null,
    requestPolicy: parseRequestPolicy(fields.requestPolicy, "requestPolicy", invalid) ?? null,
    guaranteed: flag(fields.guaranteed, "guaranteed"),
  };
}

/** The DeliveryPolicy attribute as SNS answers it back: the parsed policy, in SNS's key order. */
export const deliveryPolicyJson = (policy: TopicDeliveryPolicy | SubscriptionDeliveryPolicy): string => JSON.stringify(policy);

/** A topic's EffectiveDeliveryPolicy attribute: its policy over SNS's defaults (`topic` undefined: none set). */
export function effectiveTopicDeliveryPolicy(topic?: TopicDeliveryPolicy): string {
  const http = topic?.http;
  return JSON.stringify({
    http: {
      defaultHealthyRetryPolicy: completeRetryPolicy(http?.defaultHealthyRetryPolicy),
      disableSubscriptionOverrides: http?.disableSubscriptionOverrides ?? false,
      ...(http?.defaultThrottlePolicy && { defaultThrottlePolicy: http.defaultThrottlePolicy }),
      defaultRequestPolicy: http?.defaultRequestPolicy ?? { headerContentType: DEFAULT_CONTENT_TYPE },
    },
  });
}

/**
 * What an HTTP/HTTPS subscription's deliveries follow (its EffectiveDeliveryPolicy, once
 * JSON.stringify'd): each part of its own policy where it set one, else the topic's default,
 * else SNS's; the topic's alone when the topic disables subscription overrides.
 */
export function effectiveSubscriptionDeliveryPolicy(topic?: TopicDeliveryPolicy, subscription?: SubscriptionDeliveryPolicy): EffectiveSubscriptionDeliveryPolicy {
  const http = topic?.http;
  const own = http?.disableSubscriptionOverrides ? undefined : subscription;
  return {
    healthyRetryPolicy: completeRetryPolicy(own?.healthyRetryPolicy ?? http?.defaultHealthyRetryPolicy),
    sicklyRetryPolicy: own?.sicklyRetryPolicy ?? null,
    throttlePolicy: own?.throttlePolicy ?? http?.defaultThrottlePolicy ?? null,
    requestPolicy: own?.requestPolicy ?? http?.defaultRequestPolicy ?? { headerContentType: DEFAULT_CONTENT_TYPE },
    guaranteed: own?.guaranteed ?? false,
  };
}

export { MAX_RETRY_WINDOW_SECONDS, retryDelays } from "./http-endpoint/retry-delays.js";
