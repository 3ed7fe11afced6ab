/**
 * Subscribe's protocols and endpoints, checked as SNS checks them, and which subscriptions are
 * confirmed at once: a queue of the caller's own account, SMS, Lambda, Firehose and application
 * endpoints. HTTP(S) endpoints and another account's queue are sent a SubscriptionConfirmation
 * and, like email, wait for ConfirmSubscription. Only queues and HTTP(S) endpoints are ever
 * delivered to; the rest are accepted and kept.
 */
import { queueArnParts } from "../../sdk/protocol/index.js";
import { PROTOCOLS, type Protocol } from "../../durable-objects/topic/types.js";
import { SnsErrors } from "./errors.js";

const EMAIL = /^[^@\s]+@[^@\s]+$/;
const PHONE = /^\+?[0-9]{5,15}$/;
const LAMBDA_ARN = /^arn:aws[\w-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/;
const FIREHOSE_ARN = /^arn:aws[\w-]*:firehose:[a-z0-9-]+:\d{12}:deliverystream\/[A-Za-z0-9_.-]+$/;
const APPLICATION_ARN = /^arn:aws[\w-]*:sns:[a-z0-9-]+:\d{12}:endpoint\/.+$/;

export function readProtocol(value: string | undefined): Protocol {
  if (value === undefined) throw SnsErrors.invalidParameter("Protocol");
  const protocol = value.toLowerCase();
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
    throw SnsErrors.invalidParameter(`Amazon SNS does not support this protocol string: ${value}`);
  }
  return protocol as Protocol;
}

/**
 * Checks the endpoint for its protocol and answers whether the subscription is confirmed at once.
 * `topicFifo`: a FIFO topic delivers only to queues, and only a FIFO topic to a FIFO queue.
 */
export function checkEndpoint(protocol: Protocol, endpoint: string | undefined, callerAccount: string, topicFifo: boolean): { endpoint: string; confirmed: boolean } {
  if (endpoint === undefined || endpoint === "") throw SnsErrors.invalidParameter("Endpoint");
  if (topicFifo && protocol !== "sqs") {
    throw SnsErrors.invalidParameter(`Invalid protocol type: ${protocol}`);
  }
  switch (protocol) {
    case "http":
    case "https":
      if (!endpoint.toLowerCase().startsWith(`${protocol}://`) || !isUrl(endpoint)) {
        throw SnsErrors.invalidParameter("Endpoint must match the specified protocol");
      }
      return { endpoint, confirmed: false };
    case "email":
    case "email-json":
      if (!EMAIL.test(endpoint)) throw SnsErrors.invalidParameter("Email address");
      return { endpoint, confirmed: false };
    case "sms":
      if (!PHONE.test(endpoint.replace(/[\s().-]/g, ""))) throw SnsErrors.invalidParameter(`SMS endpoint`);
      return { endpoint, confirmed: true };
    case "sqs": {
      const queue = queueArnParts(endpoint);
      if (!queue) throw SnsErrors.invalidParameter("SQS endpoint ARN");
      if (queue.name.endsWith(".fifo") && !topicFifo) {
        throw SnsErrors.invalidParameter("Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics");
      }
      return { endpoint, confirmed: queue.accountId === callerAccount };
    }
    case "lambda":
      if (!LAMBDA_ARN.test(endpoint)) throw SnsErrors.invalidParameter("Lambda endpoint ARN");
      return { endpoint, confirmed: true };
    case "firehose":
      if (!FIREHOSE_ARN.test(endpoint)) throw SnsErrors.invalidParameter("Firehose endpoint ARN");
      return { endpoint, confirmed: true };
    case "application":
      if (!APPLICATION_ARN.test(endpoint)) throw SnsErrors.invalidParameter("Application endpoint ARN");
      return { endpoint, confirmed: true };
  }
}

function isUrl(text: string): boolean {
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}
