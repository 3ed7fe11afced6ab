/**
 * The SQS queue-name rule, the one copy that every part of Sluice checks names, queue URLs and
 * queue ARNs with: 1 to 80 characters of letters, digits, hyphens and underscores; a FIFO
 * queue's name ends in `.fifo`, and the suffix counts toward the 80. It lives in the SDK's
 * protocol folder because the Worker and the Durable Objects already import the protocol from
 * here, while the SDK, published on its own, may import nothing from them.
 */

export const FIFO_SUFFIX = ".fifo";

/**
 * A queue name as regular-expression source without anchors, for patterns that hold a name
 * (queue URL paths, the OpenAPI document); wrap it in a group, as it is an alternation.
 * 80 characters, or 75 and the 5 of `.fifo`.
 */
export const QUEUE_NAME_SOURCE = "[A-Za-z0-9_-]{1,80}|[A-Za-z0-9_-]{1,75}\\.fifo";

// Compiled on first use, so that a bundle which only tells FIFO names apart (the SDK's
// Consumer) carries no patterns.
let patterns: { name: RegExp; arn: RegExp } | undefined;
const compiled = () =>
  (patterns ??= {
    name: new RegExp(`^(?:${QUEUE_NAME_SOURCE})$`),
    arn: new RegExp(`^arn:aws[\\w-]*:sqs:([\\w-]+):(\\d{12}):(${QUEUE_NAME_SOURCE})$`),
  });

/** Whether `name` could name a queue, standard or FIFO. */
export function isQueueName(name: string): boolean {
  return compiled().name.test(name);
}

/** Whether a queue name (or a queue URL, which ends in the name) is a FIFO queue's. */
export function isFifoQueueName(name: string): boolean {
  return name.endsWith(FIFO_SUFFIX);
}

/** The parts of `arn:<partition>:sqs:<region>:<account>:<name>`, or undefined when `arn` is no queue's ARN. */
export function queueArnParts(arn: string): { region: string; accountId: string; name: string } | undefined {
  const match = compiled().arn.exec(arn);
  return match ? { region: match[1]!, accountId: match[2]!, name: match[3]! } : undefined;
}
