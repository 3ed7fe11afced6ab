/**
 * SQLite rows written and read per message — what Cloudflare bills a Durable Object for — from
 * `QueueObject.sqlStats()` deltas around each phase of N messages on a queue of their own:
 * send all, receive all, delete all. Done once with the single-message actions and once with
 * the batch actions (10 per request).
 */
import { EmptyReceiveError } from "./http-client.mjs";
import { forEachConcurrently } from "./load.mjs";
import { BODY_1KB, createQueue, prefill } from "./queues.mjs";

/** Messages per measured block, and requests in flight while running it (rows don't depend on it). */
export const ROWS_MESSAGES = 1_000;
const CONCURRENCY = 8;
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
async function singleActions(env) {
  const { sqs } = env.sluice;
  const name = "bench-rows-single";
  const url = await createQueue(sqs, name);
  const handles = [];
  const body = JSON.stringify({ QueueUrl: url, MessageBody: BODY_1KB });
  return phases(env, name, {
    send: () => forEachConcurrently(ROWS_MESSAGES, CONCURRENCY, () => sqs.call("SendMessage", body)),
    receive: () =>
      forEachConcurrently(ROWS_MESSAGES, CONCURRENCY, async () => {
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
      forEachConcurrently(ROWS_MESSAGES, CONCURRENCY, (i) =>
        sqs.call("DeleteMessage", { QueueUrl: url, ReceiptHandle: handles[i] }),
      ),
  });
}

/** SendMessageBatch, ReceiveMessage (10) and DeleteMessageBatch, ten messages per request. */
async function batchActions(env) {
  const { sqs } = env.sluice;
  const name = "bench-rows-batch";
  const url = await createQueue(sqs, name);
  const handles = [];
  return phases(env, name, {
    send: () => prefill(sqs, url, ROWS_MESSAGES),
    async receive() {
      while (handles.length < ROWS_MESSAGES) {
        const received = await sqs.call("ReceiveMessage", {
          QueueUrl: url,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: VISIBILITY_TIMEOUT_SECONDS,
        });
        if (!received.Messages?.length) throw new EmptyReceiveError();
        for (const message of received.Messages) handles.push(message.ReceiptHandle);
      }
    },
    delete: () =>
      forEachConcurrently(Math.ceil(ROWS_MESSAGES / 10), CONCURRENCY, (b) =>
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
async function attempt(block, env) {
  try {
    return await block(env);
  } catch (error) {
    return { failed: String(error?.message ?? error) };
  }
}

/** Rows per message for the single and the batch actions (issue 2 item 6 d). */
export async function measureRows(env) {
  return { messages: ROWS_MESSAGES, single: await attempt(singleActions, env), batch: await attempt(batchActions, env) };
}
