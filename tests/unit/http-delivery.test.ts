/**
 * One POST to an HTTP/HTTPS endpoint as SNS makes it (durable-objects/topic/http-delivery.ts),
 * with the fetch passed in: SNS's headers and body, what each answer means, the timeout, and
 * the confirmation messages' wording and layout.
 */
import { describe, expect, it } from "vitest";
import {
  confirmationBody,
  confirmationFields,
  deliverHttp,
  deliveryOutcome,
  subscribeUrl,
  type HttpDelivery,
} from "../../durable-objects/topic/http-delivery.js";
import { notificationStringToSign } from "../../durable-objects/signing/notification-signature.js";

const TOPIC = "arn:aws:sns:us-east-1:000000000000:orders";
const SUBSCRIPTION = `${TOPIC}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55`;
const NOTIFICATION: HttpDelivery = {
  endpoint: "https://hooks.example/sns?x=1",
  messageType: "Notification",
  messageId: "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
  topicArn: TOPIC,
  subscriptionArn: SUBSCRIPTION,
  body: '{\n  "Type" : "Notification"\n}',
};

/** A fetch that records what it was asked and answers `status`. */
function recorder(status = 200) {
  const requests: { request: Request; body: string }[] = [];
  const fetch = async (request: Request) => {
    requests.push({ request, body: await request.text() });
    return new Response(status === 204 ? null : "ignored", { status });
  };
  return { requests, fetch };
}

describe("an HTTP delivery", () => {
  it("POSTs the body with SNS's headers", async () => {
    const { requests, fetch } = recorder();
    expect(await deliverHttp(NOTIFICATION, { fetch })).toEqual({ ok: true, retryable: false, status: 200 });
    expect(requests).toHaveLength(1);
    const { request, body } = requests[0]!;
    expect(request.method).toBe("POST");
    expect(request.url).toBe(NOTIFICATION.endpoint);
    expect(request.redirect).toBe("manual");
    expect(body).toBe(NOTIFICATION.body);
    expect(Object.fromEntries(request.headers)).toEqual({
      "content-type": "text/plain; charset=UTF-8",
      "user-agent": "Amazon Simple Notification Service Agent",
      "x-amz-sns-message-id": NOTIFICATION.messageId,
      "x-amz-sns-message-type": "Notification",
      "x-amz-sns-rawdelivery": "false",
      "x-amz-sns-subscription-arn": SUBSCRIPTION,
      "x-amz-sns-topic-arn": TOPIC,
    });
  });

  it("sends a raw notification with the policy's content type and says it is raw", async () => {
    const { requests, fetch } = recorder();
    await deliverHttp({ ...NOTIFICATION, rawDelivery: true, contentType: "application/json", body: '{"order":42}' }, { fetch });
    const { request, body } = requests[0]!;
    expect(body).toBe('{"order":42}');
    expect(request.headers.get("content-type")).toBe("application/json");
    expect(request.headers.get("x-amz-sns-rawdelivery")).toBe("true");
  });

  it("names no subscription in a SubscriptionConfirmation, and keeps text/plain for confirmations", async () => {
    const { requests, fetch } = recorder();
    await deliverHttp({ ...NOTIFICATION, messageType: "SubscriptionConfirmation", contentType: "application/json" }, { fetch });
    await deliverHttp({ ...NOTIFICATION, messageType: "UnsubscribeConfirmation", contentType: "application/json" }, { fetch });
    const [subscribe, unsubscribe] = requests.map(({ request }) => request.headers);
    expect(subscribe!.has("x-amz-sns-subscription-arn")).toBe(false);
    expect(subscribe!.get("x-amz-sns-message-type")).toBe("SubscriptionConfirmation");
    expect(subscribe!.get("content-type")).toBe("text/plain; charset=UTF-8");
    expect(subscribe!.has("x-amz-sns-rawdelivery")).toBe(false);
    expect(unsubscribe!.get("x-amz-sns-subscription-arn")).toBe(SUBSCRIPTION);
  });

  it("reads a 2xx as delivered, a 3xx or 4xx as a failure not retried, a 5xx as one retried", async () => {
    for (const [status, ok, retryable] of [
      [200, true, false],
      [204, true, false],
      [301, false, false],
      [400, false, false],
      [404, false, false],
      [429, false, false],
      [500, false, true],
      [503, false, true],
    ] as const) {
      expect(await deliverHttp(NOTIFICATION, { fetch: recorder(status).fetch }), String(status)).toEqual({ ok, retryable, status });
      expect(deliveryOutcome(status)).toEqual({ ok, retryable, status });
    }
  });

  it("counts no connection as a failed attempt to retry", async () => {
    const result = await deliverHttp(NOTIFICATION, { fetch: () => Promise.reject(new TypeError("Network connection lost.")) });
    expect(result).toEqual({ ok: false, retryable: true, error: "Network connection lost." });
  });

  it("stops waiting at the timeout, even for a fetch that never answers", async () => {
    const started = Date.now();
    const result = await deliverHttp(NOTIFICATION, { fetch: () => new Promise<Response>(() => undefined), timeoutMs: 200 });
    expect(result).toEqual({ ok: false, retryable: true, error: "no answer within the timeout" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("gives up on an endpoint that is not a URL, without retrying", async () => {
    const result = await deliverHttp({ ...NOTIFICATION, endpoint: "not a url" }, { fetch: recorder().fetch });
    expect(result.ok).toBe(false);
    expect(result.retryable).toBe(false);
  });
});

describe("the confirmation messages", () => {
  const input = {
    topicArn: TOPIC,
    token: "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736",
    origin: "https://sluice.example",
    messageId: "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
    timestamp: new Date("2012-04-26T20:45:04.751Z"),
  };

  it("word a SubscriptionConfirmation as SNS does, with its SubscribeURL on the address called", () => {
    const fields = confirmationFields({ ...input, type: "SubscriptionConfirmation" });
    expect(fields.Message).toBe(`You have chosen to subscribe to the topic ${TOPIC}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`);
    expect(fields.SubscribeURL).toBe(`https://sluice.example/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=${input.token}`);
    expect(fields.Timestamp).toBe("2012-04-26T20:45:04.751Z");
    const url = new URL(fields.SubscribeURL!);
    expect([url.searchParams.get("Action"), url.searchParams.get("TopicArn"), url.searchParams.get("Token")]).toEqual(["ConfirmSubscription", TOPIC, input.token]);
  });

  it("word an UnsubscribeConfirmation as SNS does, naming the subscription", () => {
    const fields = confirmationFields({ ...input, type: "UnsubscribeConfirmation", subscriptionArn: SUBSCRIPTION });
    expect(fields.Message).toBe(
      `You have chosen to deactivate subscription ${SUBSCRIPTION}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`,
    );
    expect(notificationStringToSign(fields)).toContain(`Token\n${input.token}\n`);
  });

  it("escape what a URL cannot carry in a SubscribeURL", () => {
    expect(subscribeUrl("http://127.0.0.1:8787", "arn:aws:sns:us-east-1:000000000000:a&b", "t+k")).toBe(
      "http://127.0.0.1:8787/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-east-1:000000000000:a%26b&Token=t%2Bk",
    );
  });

  it("lay the body out in SNS's order and form", () => {
    const fields = confirmationFields({ ...input, type: "SubscriptionConfirmation" });
    const body = confirmationBody(fields, { signatureVersion: "1", signature: "c2ln", signingCertUrl: "https://sluice.example/SimpleNotificationService-x.pem" });
    expect(Object.keys(JSON.parse(body) as object)).toEqual(["Type", "MessageId", "Token", "TopicArn", "Message", "SubscribeURL", "Timestamp", "SignatureVersion", "Signature", "SigningCertURL"]);
    expect(body.split("\n")[1]).toBe('  "Type" : "SubscriptionConfirmation",');
    expect(body).toContain('"Message" : "You have chosen to subscribe to the topic arn:aws:sns:us-east-1:000000000000:orders.\\nTo confirm');
    expect(JSON.parse(body)).toMatchObject({ ...fields, SignatureVersion: "1", Signature: "c2ln" });
  });
});
