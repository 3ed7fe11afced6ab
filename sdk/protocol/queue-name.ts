/**
 * The SQS queue-name rule, the one copy that every part of Sluice checks names, queue URLs and
 * queue ARNs with: 1 to 80 characters of letters, digits, hyphens and underscores; a FIFO
 * queue's name ends in `.fifo`, and the suffix counts toward the 80. It lives in the SDK's
 * protocol folder because the Worker and the Durable Objects already import the protocol from
 * here, while the SDK, published on its own, may import nothing from them.
 */

export const MAX_QUEUE_NAME_LENGTH = 80;
export const FIFO_SUFFIX = ".fifo";

const NAME_CHARACTER = "[A-Za-z0-9_-]";

/**
 * A queue name as regular-expression source without anchors, for patterns that hold a name
 * (queue URL paths, ARNs, the OpenAPI document); wrap it in a group, as it is an alternation.
 */
export const QUEUE_NAME_SOURCE =
  `${NAME_CHARACTER}{1,${MAX_QUEUE_NAME_LENGTH}}` +
  `|${NAME_CHARACTER}{1,${MAX_QUEUE_NAME_LENGTH - FIFO_SUFFIX.length}}\\${FIFO_SUFFIX}`;

const QUEUE_NAME = new RegExp(`^(?:${QUEUE_NAME_SOURCE})$`);

/** Whether `name` could name a queue, standard or FIFO. */
export function isQueueName(name: string): boolean {
  return QUEUE_NAME.test(name);
}

/** Whether a queue name (or a queue URL, which ends in the name) is a FIFO queue's. */
export function isFifoQueueName(name: string): boolean {
  return name.endsWith(FIFO_SUFFIX);
}

/** `arn:<partition>:sqs:<region>:<account>:<name>`; groups: region, account, name. */
export const QUEUE_ARN_PATTERN = new RegExp(`^arn:aws[\\w-]*:sqs:([\\w-]+):(\\d{12}):(${QUEUE_NAME_SOURCE})$`);
