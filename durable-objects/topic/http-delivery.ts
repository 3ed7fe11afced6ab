/**
 * One POST of an SNS message to an HTTP/HTTPS endpoint, as SNS makes it ("HTTP/HTTPS headers",
 * "Amazon SNS message delivery retries"): SNS's headers, the signed JSON body (or the bare
 * message for raw delivery), and SNS's reading of the answer: a 2xx delivers; a 4xx is a
 * permanent failure, not retried; a 5xx, no answer within 15 seconds, or no connection at all
 * is a failed attempt, retried as the DeliveryPolicy says (retryDelays in delivery-policy.ts).
 */
import type { NotificationFields } from "../signing/notification-signature.js";
import { DEFAULT_CONTENT_TYPE } from "./http-endpoint/policy-parts.js";

export { confirmationBody, confirmationFields, subscribeUrl, type ConfirmationInput, type MessageSignature } from "./http-endpoint/confirmation-message.js";

/** How long SNS waits for an endpoint's answer. */
export const HTTP_DELIVERY_TIMEOUT_MS = 15_000;
const USER_AGENT = "Amazon Simple Notification Service Agent";

export interface HttpDelivery {
  endpoint: string;
  messageType: NotificationFields["Type"];
  messageId: string;
  topicArn: string;
  /** Sent with notifications and unsubscribe confirmations; a subscription confirmation has no subscription yet. */
  subscriptionArn?: string;
  /** A notification's RawMessageDelivery. */
  rawDelivery?: boolean;
  /** The effective requestPolicy's headerContentType, for notifications; text/plain otherwise. */
  contentType?: string;
  body: string;
}

export interface HttpDeliveryResult {
  /** The endpoint took the message (a 2xx). */
  ok: boolean;
  /** Not delivered, and worth another attempt. */
  retryable: boolean;
  /** The endpoint's status, when it answered. */
  status?: number;
  /** Why there was no answer (timeout, connection), for the failure log. */
  error?: string;
}

export type Fetcher = (request: Request) => Promise<Response>;

export function httpDeliveryHeaders(delivery: HttpDelivery): Headers {
  const headers = new Headers({
    "x-amz-sns-message-type": delivery.messageType,
    "x-amz-sns-message-id": delivery.messageId,
    "x-amz-sns-topic-arn": delivery.topicArn,
    "content-type": (delivery.messageType === "Notification" && delivery.contentType) || DEFAULT_CONTENT_TYPE,
    "user-agent": USER_AGENT,
  });
  if (delivery.messageType !== "SubscriptionConfirmation" && delivery.subscriptionArn !== undefined) {
    headers.set("x-amz-sns-subscription-arn", delivery.subscriptionArn);
  }
  if (delivery.messageType === "Notification") headers.set("x-amz-sns-rawdelivery", delivery.rawDelivery ? "true" : "false");
  return headers;
}

/** The POST, as a request a fetcher sends; redirects are not followed (SNS does not). */
export function httpDeliveryRequest(delivery: HttpDelivery, signal?: AbortSignal): Request {
  return new Request(delivery.endpoint, { method: "POST", headers: httpDeliveryHeaders(delivery), body: delivery.body, redirect: "manual", signal });
}

/** What an answer's status means for the message. SNS retries only 1xx, 5xx and no answer; any other non-2xx ends the delivery. */
export function deliveryOutcome(status: number): HttpDeliveryResult {
  if (status >= 200 && status < 300) return { ok: true, retryable: false, status };
  if (status >= 300 && status < 500) return { ok: false, retryable: false, status };
  return { ok: false, retryable: true, status };
}

/** Posts the message once and reports what came of it; never throws for the endpoint's sake. */
export async function deliverHttp(
  delivery: HttpDelivery,
  options: { fetch?: Fetcher; timeoutMs?: number } = {},
): Promise<HttpDeliveryResult> {
  const send = options.fetch ?? ((request: Request) => fetch(request));
  const signal = AbortSignal.timeout(options.timeoutMs ?? HTTP_DELIVERY_TIMEOUT_MS);
  let request: Request;
  try {
    request = httpDeliveryRequest(delivery, signal);
  } catch (error) {
    return { ok: false, retryable: false, error: `the endpoint cannot be posted to: ${describe(error)}` };
  }
  // The timeout ends the wait even where a fetcher does not heed the signal.
  const timedOut = new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));
  timedOut.catch(() => undefined); // settles after a delivery that answered in time, unheard
  let response: Response;
  try {
    response = await Promise.race([send(request), timedOut]);
  } catch (error) {
    return { ok: false, retryable: true, error: signal.aborted ? "no answer within the timeout" : describe(error) };
  }
  // The answer's body means nothing to SNS; it is let go rather than read.
  await response.body?.cancel().catch(() => undefined);
  return deliveryOutcome(response.status);
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
