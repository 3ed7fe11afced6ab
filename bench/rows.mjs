/**
 * SQLite rows written and read per message — what Cloudflare bills a Durable Object for — from
 * `QueueObject.sqlStats()` deltas around each phase of N messages on a queue of their own:
 * send all, receive all, delete all. Done with the single-message actions and with the batch
 * actions (10 per request), each at concurrency 1 and 32 (group commit shares writes between
 * requests in flight together), and priced at list prices beside SQS and Cloudflare Queues.
 */
import { EmptyReceiveError } from "./http-client.mjs";
import { forEachConcurrently } from "./load.mjs";
import { BODY_1KB, createQueue } from "./queues.mjs";

/** Messages per measured block. */
export const ROWS_MESSAGES = 1_000;
/** Requests in flight while a block runs: rows per message depend on it (group commit). */
export const ROWS_CONCURRENCIES = [1, 32];

/**
 * List prices, USD per million. Workers requests $0.30 and Durable Object requests $0.15 (one
 * of each per API call), SQLite rows written $1.00 and read $0.001. SQS standard $0.40 per
 * request (a batch of 10 is one request); Cloudflare Queues $0.40 per operation, billed per
 * message (write, read, delete: 3 per message, batched or not).
 */
const PRICE = { workerRequest: 0.3, objectRequest: 0.15, rowWritten: 1.0, rowRead: 0.001, sqsRequest: 0.4, cfQueuesOp: 0.4 };

/** Rows written per message each block must stay under. */
export const ROWS_TARGETS = { single: { 1: 3.0, 32: 1.5 }, batch: { 1: 0.5, 32: 0.3 } };

/** USD per million messages (send, receive, delete each) for `requestsPerMessage` API calls per message. */
export function costPerMillion(total, requestsPerMessage) {
  return {
    sluice:
      requestsPerMessage * (PRICE.workerRequest + PRICE.objectRequest) +
      total.rowsWritten * PRICE.rowWritten +
      total.rowsRead * PRICE.rowRead,
    sqs: requestsPerMessage * PRICE.sqsRequest,
    cloudflareQueues: 3 * PRICE.cfQueuesOp,
  };
}
/** Long enough that nothing received becomes visible again before it is deleted. */
const VISIBILITY_TIMEOUT_SECONDS = 300;

/** Runs each phase and returns rows per message of each, plus their total. */
async function phases(env, queueName, steps) {
  const perMessage = {};
  const total = { rowsWritten: 0, rowsRead: 0 };
  for (const [phase, step] of Object.entries(steps)) {
    const before = await env.stats(queueName);
    await step();
    const after = await env.stats(queueName);
    const written = (after.rowsWritten - before.rowsWritten) / ROWS_MESSAGES;
    const read = (after.rowsRead - before.rowsRead) / ROWS_MESSAGES;
    perMessage[phase] = { rowsWritten: written, rowsRead: read };
    total.rowsWritten += written;
    total.rowsRead += read;
  }
  return { ...perMessage, total };
}

/** SendMessage, ReceiveMessage (1) and DeleteMessage, one message per request. */
async function singleActions(env, concurrency) {
  const { sqs } = env.sluice;
  const name = `bench-rows-single-c${concurrency}`;
  const url = await createQueue(sqs, name);
  const handles = [];
  const body = JSON.stringify({ QueueUrl: url, MessageBody: BODY_1KB });
  return phases(env, name, {
    send: () => forEachConcurrently(ROWS_MESSAGES, concurrency, () => sqs.call("SendMessage", body)),
    receive: () =>
      forEachConcurrently(ROWS_MESSAGES, concurrency, async () => {
        const received = await sqs.call("ReceiveMessage", {
          QueueUrl: url,
          MaxNumberOfMessages: 1,
          VisibilityTimeout: VISIBILITY_TIMEOUT_SECONDS,
        });
        const message = received.Messages?.[0];
        if (!message) throw new EmptyReceiveError();
        handles.push(message.ReceiptHandle);
      }),
    delete: () =>
      forEachConcurrently(ROWS_MESSAGES, concurrency, (i) =>
        sqs.call("DeleteMessage", { QueueUrl: url, ReceiptHandle: handles[i] }),
      ),
  });
}

/** SendMessageBatch, ReceiveMessage (10) and DeleteMessageBatch, ten messages per request. */
async function batchActions(env, concurrency) {
  const { sqs } = env.sluice;
  const name = `bench-rows-batch-c${concurrency}`;
  const url = await createQueue(sqs, name);
  const handles = [];
  const entries = () => Array.from({ length: 10 }, (_, k) => ({ Id: `m${k}`, MessageBody: BODY_1KB }));
  return phases(env, name, {
    send: () =>
      forEachConcurrently(ROWS_MESSAGES / 10, concurrency, async () => {
        const result = await sqs.call("SendMessageBatch", { QueueUrl: url, Entries: entries() });
        if (result.Failed?.length) throw new Error(`SendMessageBatch failed: ${JSON.stringify(result.Failed[0])}`);
      }),
    receive: () =>
      forEachConcurrently(ROWS_MESSAGES / 10, concurrency, async () => {
        // Each request takes what it gets; a short one is topped up so the block receives exactly N.
        for (let got = 0; got < 10; ) {
          const received = await sqs.call("ReceiveMessage", {
            QueueUrl: url,
            MaxNumberOfMessages: 10 - got,
            VisibilityTimeout: VISIBILITY_TIMEOUT_SECONDS,
          });
          if (!received.Messages?.length) throw new EmptyReceiveError();
          for (const message of received.Messages) handles.push(message.ReceiptHandle);
          got += received.Messages.length;
        }
      }),
    delete: () =>
      forEachConcurrently(Math.ceil(ROWS_MESSAGES / 10), concurrency, (b) =>
        sqs.call("DeleteMessageBatch", {
          QueueUrl: url,
          Entries: handles.slice(b * 10, b * 10 + 10).map((ReceiptHandle, k) => ({ Id: `d${k}`, ReceiptHandle })),
        }).then((result) => {
          if (result.Failed?.length) throw new Error(`DeleteMessageBatch failed: ${JSON.stringify(result.Failed[0])}`);
        }),
      ),
  });
}

/** Runs one block; a failure is reported in its place rather than ending the bench. */
async function attempt(block, env, concurrency) {
  try {
    return await block(env, concurrency);
  } catch (error) {
    return { failed: String(error?.message ?? error) };
  }
}

/** Rows per message and cost per million for the single and the batch actions at each concurrency. */
export async function measureRows(env) {
  const blocks = [];
  for (const [actions, block, requestsPerMessage] of [
    ["single", singleActions, 3],
    ["batch", batchActions, 0.3],
  ]) {
    for (const concurrency of ROWS_CONCURRENCIES) {
      const result = await attempt(block, env, concurrency);
      const target = ROWS_TARGETS[actions][concurrency];
      blocks.push({
        actions,
        concurrency,
        ...result,
        ...(result.failed ? {} : { cost: costPerMillion(result.total, requestsPerMessage) }),
        target,
        targetMet: result.failed ? false : result.total.rowsWritten <= target,
      });
    }
  }
  return { messages: ROWS_MESSAGES, blocks };
}
