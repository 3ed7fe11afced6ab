/**
 * HTTP/HTTPS DeliveryPolicy (durable-objects/topic/delivery-policy.ts): SNS's checks and
 * messages, the stored form SNS answers back, the EffectiveDeliveryPolicy it reports, and the
 * retry schedule a policy implies.
 */
import { describe, expect, it } from "vitest";
import { SqsError } from "../../sdk/protocol/index.js";
import {
  DEFAULT_RETRY_POLICY,
  deliveryPolicyJson,
  effectiveSubscriptionDeliveryPolicy,
  effectiveTopicDeliveryPolicy,
  parseSubscriptionDeliveryPolicy,
  parseTopicDeliveryPolicy,
  retryDelays,
  type RetryPolicy,
} from "../../durable-objects/topic/delivery-policy.js";

const TOPIC_POLICY =
  '{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":5,"maxDelayTarget":30,"numRetries":10,"numNoDelayRetries":1,"numMinDelayRetries":2,"numMaxDelayRetries":3,"backoffFunction":"exponential"},"disableSubscriptionOverrides":false,"defaultThrottlePolicy":{"maxReceivesPerSecond":5},"defaultRequestPolicy":{"headerContentType":"application/json"}}}';
const TOPIC_POLICY_STORED =
  '{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":5,"maxDelayTarget":30,"numRetries":10,"numMaxDelayRetries":3,"numNoDelayRetries":1,"numMinDelayRetries":2,"backoffFunction":"exponential"},"disableSubscriptionOverrides":false,"defaultThrottlePolicy":{"maxReceivesPerSecond":5},"defaultRequestPolicy":{"headerContentType":"application/json"}}}';
const DEFAULT_RETRY_JSON =
  '{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"}';

function refusal(parse: () => unknown): SqsError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(SqsError);
    expect((error as SqsError).code).toBe("InvalidParameter");
    return error as SqsError;
  }
  throw new Error("the policy was accepted");
}
const topicRefusal = (json: string) => refusal(() => parseTopicDeliveryPolicy(json)).message;
const subscriptionRefusal = (json: string) => refusal(() => parseSubscriptionDeliveryPolicy(json)).message;
const retry = (fields: string) => `{"http":{"defaultHealthyRetryPolicy":{${fields}}}}`;

describe("a topic's DeliveryPolicy", () => {
  it("is answered back in SNS's key order", () => {
    expect(deliveryPolicyJson(parseTopicDeliveryPolicy(TOPIC_POLICY))).toBe(TOPIC_POLICY_STORED);
    expect(deliveryPolicyJson(parseTopicDeliveryPolicy(TOPIC_POLICY_STORED))).toBe(TOPIC_POLICY_STORED);
    expect(deliveryPolicyJson(parseTopicDeliveryPolicy("{}"))).toBe("{}");
    expect(deliveryPolicyJson(parseTopicDeliveryPolicy('{"http":{}}'))).toBe('{"http":{"disableSubscriptionOverrides":false}}');
  });

  it("is refused past 100 retries with SNS's message", () => {
    expect(parseTopicDeliveryPolicy(retry('"numRetries":100')).http?.defaultHealthyRetryPolicy?.numRetries).toBe(100);
    expect(topicRefusal(retry('"numRetries":101'))).toBe(
      "Invalid parameter: DeliveryPolicy: http.defaultHealthyRetryPolicy.numRetries must be less than or equal to 100",
    );
  });

  it("refuses a subscription's members at its top level", () => {
    expect(topicRefusal('{"throttlePolicy":{"maxReceivesPerSecond":1}}')).toBe("Invalid parameter: DeliveryPolicy: Unexpected JSON member: throttlePolicy");
    expect(topicRefusal('{"http":{"healthyRetryPolicy":{}}}')).toBe("Invalid parameter: DeliveryPolicy: Unexpected JSON member: healthyRetryPolicy");
  });

  it("checks every delay and count against SNS's bounds", () => {
    const path = "Invalid parameter: DeliveryPolicy: http.defaultHealthyRetryPolicy";
    expect(topicRefusal(retry('"minDelayTarget":0'))).toBe(`${path}.minDelayTarget must be greater than or equal to 1`);
    expect(topicRefusal(retry('"maxDelayTarget":3601'))).toBe(`${path}.maxDelayTarget must be less than or equal to 3600`);
    expect(topicRefusal(retry('"numRetries":-1'))).toBe(`${path}.numRetries must be greater than or equal to 0`);
    expect(topicRefusal(retry('"numRetries":10,"numNoDelayRetries":-1'))).toBe(`${path}.numNoDelayRetries must be greater than or equal to 0`);
    expect(topicRefusal(retry('"numRetries":1.5'))).toBe(`${path}.numRetries must be an integer`);
    expect(topicRefusal(retry('"numRetries":"3"'))).toBe(`${path}.numRetries must be an integer`);
    expect(topicRefusal(retry('"backoffFunction":"cubic"'))).toBe(`${path}.backoffFunction must be one of: arithmetic, exponential, geometric, linear`);
  });

  it("needs the minimum delay at most the maximum, and the phases to fit in numRetries", () => {
    const path = "Invalid parameter: DeliveryPolicy: http.defaultHealthyRetryPolicy";
    expect(topicRefusal(retry('"minDelayTarget":40,"maxDelayTarget":30'))).toBe(`${path}.maxDelayTarget must be greater than or equal to minDelayTarget`);
    // Left out, the delays are SNS's defaults (20 s), and the rule holds against them.
    expect(topicRefusal(retry('"maxDelayTarget":10'))).toBe(`${path}.maxDelayTarget must be greater than or equal to minDelayTarget`);
    const sum = "numRetries must be greater than or equal to total of numMinDelayRetries, numNoDelayRetries and numMaxDelayRetries";
    expect(topicRefusal(retry('"numRetries":5,"numNoDelayRetries":2,"numMinDelayRetries":2,"numMaxDelayRetries":2'))).toBe(`${path}.${sum}`);
    expect(parseTopicDeliveryPolicy(retry('"numRetries":6,"numNoDelayRetries":2,"numMinDelayRetries":2,"numMaxDelayRetries":2'))).toBeDefined();
  });

  it("takes the content types SNS lists, with a UTF-8 charset or none, and a throttle of 1 or more", () => {
    const request = (type: string) => `{"http":{"defaultRequestPolicy":{"headerContentType":${JSON.stringify(type)}}}}`;
    for (const type of ["application/json", "text/plain", "application/xml", "text/plain; charset=UTF-8", "application/json;charset=utf-8"]) {
      expect(parseTopicDeliveryPolicy(request(type)).http?.defaultRequestPolicy?.headerContentType, type).toBe(type);
    }
    for (const type of ["text/bogus", "application/json; charset=latin1", ""]) {
      expect(topicRefusal(request(type)), type).toContain("http.defaultRequestPolicy.headerContentType");
    }
    expect(topicRefusal('{"http":{"defaultThrottlePolicy":{"maxReceivesPerSecond":0}}}')).toBe(
      "Invalid parameter: DeliveryPolicy: http.defaultThrottlePolicy.maxReceivesPerSecond must be greater than or equal to 1",
    );
    expect(topicRefusal('{"http":{"disableSubscriptionOverrides":"yes"}}')).toBe("Invalid parameter: DeliveryPolicy: http.disableSubscriptionOverrides must be a boolean");
  });

  it("must be a JSON object", () => {
    expect(topicRefusal("{")).toBe("Invalid parameter: DeliveryPolicy: failed to parse JSON.");
    for (const json of ["null", "[]", "7", '"http"']) expect(topicRefusal(json), json).toBe("Invalid parameter: DeliveryPolicy: JSON must be an object.");
    expect(topicRefusal('{"http":[]}')).toBe("Invalid parameter: DeliveryPolicy: http must be a JSON object");
  });
});

describe("a subscription's DeliveryPolicy", () => {
  it("keeps the retry fields left out as null, as SNS answers it back", () => {
    const policy = parseSubscriptionDeliveryPolicy('{"healthyRetryPolicy":{"maxDelayTarget":20,"minDelayTarget":5,"numRetries":5}}');
    const stored =
      '{"healthyRetryPolicy":{"minDelayTarget":5,"maxDelayTarget":20,"numRetries":5,"numMaxDelayRetries":null,"numNoDelayRetries":null,"numMinDelayRetries":null,"backoffFunction":null},"sicklyRetryPolicy":null,"throttlePolicy":null,"requestPolicy":null,"guaranteed":false}';
    expect(deliveryPolicyJson(policy)).toBe(stored);
    // What SNS answers can be sent back as it is.
    expect(deliveryPolicyJson(parseSubscriptionDeliveryPolicy(stored))).toBe(stored);
  });

  it("is refused with its own paths in SNS's messages", () => {
    expect(subscriptionRefusal('{"healthyRetryPolicy":{"minDelayTarget":0,"maxDelayTarget":0,"numRetries":0}}')).toBe(
      "Invalid parameter: DeliveryPolicy: healthyRetryPolicy.minDelayTarget must be greater than or equal to 1",
    );
    expect(subscriptionRefusal('{"healthyRetryPolicy":{"numRetries":101}}')).toBe(
      "Invalid parameter: DeliveryPolicy: healthyRetryPolicy.numRetries must be less than or equal to 100",
    );
    expect(subscriptionRefusal('{"http":{}}')).toBe("Invalid parameter: DeliveryPolicy: Unexpected JSON member: http");
    expect(subscriptionRefusal('{"throttlePolicy":{}}')).toBe("Invalid parameter: DeliveryPolicy: throttlePolicy.maxReceivesPerSecond must be specified");
  });
});

describe("the EffectiveDeliveryPolicy", () => {
  it("of a topic is SNS's default until a policy is set, and the policy over the defaults after", () => {
    const byDefault = `{"http":{"defaultHealthyRetryPolicy":${DEFAULT_RETRY_JSON},"disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}}`;
    expect(effectiveTopicDeliveryPolicy()).toBe(byDefault);
    expect(effectiveTopicDeliveryPolicy(parseTopicDeliveryPolicy("{}"))).toBe(byDefault);
    expect(effectiveTopicDeliveryPolicy(parseTopicDeliveryPolicy('{"http":{"defaultThrottlePolicy":{"maxReceivesPerSecond":3}}}'))).toBe(
      `{"http":{"defaultHealthyRetryPolicy":${DEFAULT_RETRY_JSON},"disableSubscriptionOverrides":false,"defaultThrottlePolicy":{"maxReceivesPerSecond":3},"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}}`,
    );
    expect(effectiveTopicDeliveryPolicy(parseTopicDeliveryPolicy(TOPIC_POLICY))).toBe(TOPIC_POLICY_STORED);
  });

  it("of a subscription takes its own parts, the topic's for the rest, and SNS's defaults last", () => {
    expect(JSON.stringify(effectiveSubscriptionDeliveryPolicy())).toBe(
      `{"healthyRetryPolicy":${DEFAULT_RETRY_JSON},"sicklyRetryPolicy":null,"throttlePolicy":null,"requestPolicy":{"headerContentType":"text/plain; charset=UTF-8"},"guaranteed":false}`,
    );
    const topic = parseTopicDeliveryPolicy(TOPIC_POLICY);
    const fromTopic = effectiveSubscriptionDeliveryPolicy(topic);
    expect(fromTopic.healthyRetryPolicy).toEqual({ minDelayTarget: 5, maxDelayTarget: 30, numRetries: 10, numMaxDelayRetries: 3, numNoDelayRetries: 1, numMinDelayRetries: 2, backoffFunction: "exponential" });
    expect(fromTopic.throttlePolicy).toEqual({ maxReceivesPerSecond: 5 });
    const own = parseSubscriptionDeliveryPolicy('{"healthyRetryPolicy":{"minDelayTarget":2,"maxDelayTarget":4,"numRetries":2},"requestPolicy":{"headerContentType":"text/plain"}}');
    const mixed = effectiveSubscriptionDeliveryPolicy(topic, own);
    expect(mixed.healthyRetryPolicy).toEqual({ ...DEFAULT_RETRY_POLICY, minDelayTarget: 2, maxDelayTarget: 4, numRetries: 2 });
    expect(mixed.requestPolicy).toEqual({ headerContentType: "text/plain" });
    expect(mixed.throttlePolicy).toEqual({ maxReceivesPerSecond: 5 });
  });

  it("of a subscription is the topic's alone when the topic disables subscription overrides", () => {
    const topic = parseTopicDeliveryPolicy(TOPIC_POLICY.replace('"disableSubscriptionOverrides":false', '"disableSubscriptionOverrides":true'));
    const own = parseSubscriptionDeliveryPolicy('{"healthyRetryPolicy":{"minDelayTarget":2,"maxDelayTarget":4,"numRetries":2},"throttlePolicy":{"maxReceivesPerSecond":100}}');
    const effective = effectiveSubscriptionDeliveryPolicy(topic, own);
    expect(effective.healthyRetryPolicy.numRetries).toBe(10);
    expect(effective.throttlePolicy).toEqual({ maxReceivesPerSecond: 5 });
  });
});

const policy = (fields: Partial<RetryPolicy>): RetryPolicy => ({ ...DEFAULT_RETRY_POLICY, ...fields });

describe("retryDelays", () => {
  it("is three retries 20 seconds apart by default, and none for numRetries 0", () => {
    expect(retryDelays(DEFAULT_RETRY_POLICY)).toEqual([20, 20, 20]);
    expect(retryDelays(policy({ numRetries: 0 }))).toEqual([]);
  });

  it("runs a linear backoff from the minimum delay on its first retry to the maximum on its last", () => {
    // AWS's own example: minimum 20, maximum 40, three retries: after 20, 30 and 40 seconds.
    expect(retryDelays(policy({ maxDelayTarget: 40 }))).toEqual([20, 30, 40]);
    expect(retryDelays(policy({ minDelayTarget: 5, maxDelayTarget: 9, numRetries: 1 }))).toEqual([5]);
  });

  it("puts the immediate, minimum-delay, backoff and maximum-delay phases in that order", () => {
    const delays = retryDelays(
      policy({ minDelayTarget: 5, maxDelayTarget: 9, numRetries: 8, numNoDelayRetries: 2, numMinDelayRetries: 1, numMaxDelayRetries: 2 }),
    );
    expect(delays).toEqual([0, 0, 5, 5, 7, 9, 9, 9]);
  });

  it("shapes the backoff by its function: every one from minimum to maximum, exponential lowest and linear highest between", () => {
    const shaped = Object.fromEntries(
      (["linear", "arithmetic", "geometric", "exponential"] as const).map((backoffFunction) => [
        backoffFunction,
        retryDelays(policy({ minDelayTarget: 5, maxDelayTarget: 260, numRetries: 10, backoffFunction })),
      ]),
    ) as Record<string, number[]>;
    for (const [name, delays] of Object.entries(shaped)) {
      expect(delays, name).toHaveLength(10);
      expect([delays[0], delays[9]], name).toEqual([5, 260]);
      expect(delays.every((delay, i) => i === 0 || delay >= delays[i - 1]!), name).toBe(true);
    }
    expect(shaped.linear).toEqual([5, 33, 62, 90, 118, 147, 175, 203, 232, 260]);
    expect(shaped.arithmetic).toEqual([5, 11, 22, 39, 62, 90, 124, 164, 209, 260]);
    expect(shaped.geometric![2]! / shaped.geometric![1]!).toBeCloseTo(shaped.geometric![8]! / shaped.geometric![7]!, 0);
    expect(shaped.exponential).toEqual([5, 5, 6, 8, 12, 20, 36, 68, 132, 260]);
    const middle = (name: string) => shaped[name]![5]!;
    expect(middle("exponential")).toBeLessThan(middle("geometric"));
    expect(middle("geometric")).toBeLessThan(middle("arithmetic"));
    expect(middle("arithmetic")).toBeLessThan(middle("linear"));
  });

  it("follows AWS's sample policy: 3 at once, 2 a second apart, 10 backing off to 60 s, 35 a minute apart", () => {
    const delays = retryDelays(
      policy({ minDelayTarget: 1, maxDelayTarget: 60, numRetries: 50, numNoDelayRetries: 3, numMinDelayRetries: 2, numMaxDelayRetries: 35, backoffFunction: "exponential" }),
    );
    expect(delays).toHaveLength(50);
    expect(delays.slice(0, 5)).toEqual([0, 0, 0, 1, 1]);
    expect([delays[5], delays[14]]).toEqual([1, 60]);
    expect(delays.slice(15)).toEqual(Array(35).fill(60));
  });

  it("stops where the retries would run past an hour of waiting", () => {
    expect(retryDelays(policy({ minDelayTarget: 3600, maxDelayTarget: 3600, numRetries: 100 }))).toEqual([3600]);
    const delays = retryDelays(policy({ minDelayTarget: 60, maxDelayTarget: 60, numRetries: 100 }));
    expect(delays).toHaveLength(60);
  });
});
