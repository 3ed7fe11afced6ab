import type { ReceiveOutcome, ReceiveParams } from "../../durable-objects/queue/types.js";
import {
  MAX_RECEIVE_MESSAGES,
  MAX_VISIBILITY_TIMEOUT_SECONDS,
  MAX_WAIT_TIME_SECONDS,
  SqsErrors,
} from "../../sdk/protocol/index.js";
import { toMessage } from "../message-output.js";
import { waitForMessages } from "../long-poll.js";
import type { RequestContext } from "../context.js";
import { waitOnPartitions } from "../partition-long-poll.js";
import { isFair, noteFair, receiveSpread } from "../fair-receive.js";
import { fnv1a, nextPartition, partitionCount, partitionHandle } from "../partitions.js";
import { parseQueueUrl, partitionStub, queueStub, type QueueRef } from "../queue-url.js";
import { unwrap, type Handler } from "./handler.js";

/** AWS API reference: at most 128 characters, alphanumerics and punctuation (!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~). */
const RECEIVE_REQUEST_ATTEMPT_ID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;

export const receiveMessage: Handler<"ReceiveMessage"> = async (input, ctx) => {
  const ref = parseQueueUrl(input.QueueUrl, ctx);
  const max = input.MaxNumberOfMessages ?? 1;
  if (max < 1 || max > MAX_RECEIVE_MESSAGES) {
    throw SqsErrors.invalidParameter("MaxNumberOfMessages", max, "Must be between 1 and 10, if provided.");
  }
  const wait = input.WaitTimeSeconds;
  if (wait !== undefined && (wait < 0 || wait > MAX_WAIT_TIME_SECONDS)) {
    throw SqsErrors.invalidParameter("WaitTimeSeconds", wait, "Must be >= 0 and <= 20, if provided.");
  }
  const visibility = input.VisibilityTimeout;
  if (visibility !== undefined && (visibility < 0 || visibility > MAX_VISIBILITY_TIMEOUT_SECONDS)) {
    throw SqsErrors.invalidParameter("VisibilityTimeout", visibility, "Must be >= 0 and <= 43200, if provided.");
  }
  const attemptId = input.ReceiveRequestAttemptId;
  if (attemptId !== undefined && !RECEIVE_REQUEST_ATTEMPT_ID.test(attemptId)) {
    throw SqsErrors.invalidParameter(
      "ReceiveRequestAttemptId",
      attemptId,
      "ReceiveRequestAttemptId can only include alphanumeric and punctuation characters. 1 to 128 in length.",
    );
  }
  const params = {
    maxMessages: max,
    visibilityTimeout: visibility,
    waitTimeSeconds: wait,
    attemptId,
  };
  const partitions = await partitionCount(ctx, ref);
  const { k, outcome } =
    partitions > 1 ? await receiveFromPartitions(ctx, ref, partitions, params) : await receiveFromOne(ctx, ref, params);
  if (outcome.messages.length === 0) return {};
  const selection = {
    // Newer SDKs send MessageSystemAttributeNames; older ones and Query send AttributeNames.
    system: input.MessageSystemAttributeNames?.length ? input.MessageSystemAttributeNames : (input.AttributeNames ?? []),
    message: input.MessageAttributeNames ?? [],
  };
  // Handles name their partition, so deletes and visibility changes go straight to it.
  const messages = outcome.messages.map((m) => ({ ...m, receiptHandle: partitionHandle(k, m.receiptHandle) }));
  return { Messages: messages.map((m) => toMessage(m, selection)) };
};

type Received = { k: number; outcome: ReceiveOutcome };

async function receiveFromOne(ctx: RequestContext, ref: QueueRef, params: ReceiveParams): Promise<Received> {
  const stub = queueStub(ctx, ref);
  // First a look without waiting; it also resolves the queue's default wait time.
  let outcome: ReceiveOutcome = unwrap(await stub.receive({ ...params, probe: true }));
  if (outcome.messages.length === 0 && outcome.retryUntil !== undefined) {
    // About to wait: from here the connection must prove it is alive (worker/held-response.ts),
    // and a poll woken without messages receives again only while the client is still there,
    // so a departed client never has messages assigned to it. The wait itself is in the Worker,
    // not in the queue object (worker/long-poll.ts).
    ctx.connection?.hold();
    outcome = await waitForMessages(() => queueStub(ctx, ref), params, outcome.retryUntil, ctx);
  }
  return { k: 0, outcome };
}

/**
 * A receive on a partitioned queue: partitions are looked at one after another, from the next in
 * this isolate's rotation, until one has messages; none has, the poll waits on all of them
 * (worker/partition-long-poll.ts). An empty queue so costs one call per partition: depth hints
 * that skip empty partitions are the later design (durable-objects/partitions.md).
 */
async function receiveFromPartitions(
  ctx: RequestContext,
  ref: QueueRef,
  partitions: number,
  params: ReceiveParams,
): Promise<Received> {
  // A FIFO receive retried with its ReceiveRequestAttemptId starts where the first try did, so
  // the partition that answered it first answers the retry with the same messages.
  const start = params.attemptId !== undefined ? fnv1a(params.attemptId) % partitions : nextPartition(partitions);
  let retryUntil: number | undefined;
  // A fair queue takes from several partitions (worker/fair-receive.ts); handles carry their partition.
  const fair = !ref.name.endsWith(".fifo") && isFair(ref);
  if (fair) {
    const spread = await receiveSpread(ctx, ref, partitions, start, params);
    if (spread.messages.length > 0) return { k: 0, outcome: { messages: spread.messages } };
    retryUntil = spread.retryUntil;
    if (retryUntil !== undefined) params = { ...params, waitUntil: retryUntil };
  }
  for (let i = 0; i < partitions && !fair; i++) {
    const k = (start + i) % partitions;
    const outcome = unwrap(await partitionStub(ctx, ref, k).receive({ ...params, probe: true }));
    if (outcome.fair) noteFair(ref);
    if (outcome.messages.length > 0) return { k, outcome };
    // The first answer resolves the queue's default wait time; later ones wait until the same deadline.
    retryUntil ??= outcome.retryUntil;
    if (retryUntil !== undefined) params = { ...params, waitUntil: retryUntil };
  }
  if (retryUntil === undefined) return { k: 0, outcome: { messages: [] } };
  ctx.connection?.hold();
  const woken = await waitOnPartitions((k) => partitionStub(ctx, ref, k), partitions, params, retryUntil, ctx);
  return woken ?? { k: 0, outcome: { messages: [] } };
}
