/**
 * Queue set-up for the cases: creating queues, filling them fast with SendMessageBatch, and the
 * message body every case sends.
 */
import { forEachConcurrently } from "./load.mjs";

/** The message body of every case: 1 KB of printable ASCII */
export const BODY_1KB = Array.from({ length: 1024 }, (_, i) => String.fromCharCode(97 + (i % 26))).join("");

/** SendMessageBatch carries at most 10 entries (SQS limit). */
const BATCH_SIZE = 10;
/** Concurrent SendMessageBatch requests while pre-filling (about 16 keeps the object busy without queueing). */
export const PREFILL_CONCURRENCY = 16;

/** Creates a queue (attributes as CreateQueue takes them) and returns its URL. */
export async function createQueue(sqs, name, attributes = {}) {
  const { QueueUrl } = await sqs.call("CreateQueue", { QueueName: name, Attributes: attributes });
  return QueueUrl;
}

/** A standard-queue batch entry; FIFO cases pass their own `entry` with group and dedup ids. */
const standardEntry = (i) => ({ Id: `m${i % BATCH_SIZE}`, MessageBody: BODY_1KB });

/**
 * Sends `count` messages with SendMessageBatch (10 per request, 16 requests at a time).
 * `entry(i)` builds the i-th entry (its Id must be unique within its batch of 10). Throws if
 * any entry fails, since a case measured on a half-filled queue would mislead.
 */
export async function prefill(sqs, queueUrl, count, entry = standardEntry) {
  const batches = Math.ceil(count / BATCH_SIZE);
  await forEachConcurrently(batches, PREFILL_CONCURRENCY, async (b) => {
    const first = b * BATCH_SIZE;
    const size = Math.min(BATCH_SIZE, count - first);
    const Entries = Array.from({ length: size }, (_, k) => entry(first + k));
    const result = await sqs.call("SendMessageBatch", { QueueUrl: queueUrl, Entries });
    if (result.Failed?.length) {
      throw new Error(`pre-fill: SendMessageBatch failed entries: ${JSON.stringify(result.Failed.slice(0, 2))}`);
    }
  });
}

/**
 * A FIFO batch entry for a queue of `groups` groups: message i goes to group i mod `groups`, so
 * a batch of 10 carries up to 10 groups and every group gets its k-th message before any group
 * its (k+1)-th. The deduplication id is unique (all bodies are alike, so content-based
 * deduplication would keep one message). With 16 batches in flight two messages of a small
 * group can be stored out of send order; the bench does not care which comes first.
 */
export const fifoEntry = (groups) => (i) => ({
  Id: `m${i % BATCH_SIZE}`,
  MessageBody: BODY_1KB,
  MessageGroupId: `g${i % groups}`,
  MessageDeduplicationId: `prefill-${i}`,
});

/**
 * One receive of one message (no long poll) then its delete; resolves to the message, or
 * undefined if none came. `extra` is added to the ReceiveMessage request (the FIFO cases ask
 * for the MessageGroupId system attribute).
 */
export async function receiveAndDelete(sqs, queueUrl, extra = {}) {
  const received = await sqs.call("ReceiveMessage", { QueueUrl: queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 0, ...extra });
  const message = received.Messages?.[0];
  if (!message) return undefined;
  await sqs.call("DeleteMessage", { QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle });
  return message;
}
