import type { NewMessage, SentMessage } from "../../durable-objects/queue/types.js";
import {
  MAX_BATCH_PAYLOAD_BYTES,
  SqsError,
  SqsErrors,
  type BatchResultErrorEntry,
  type Outcome,
  type SendMessageBatchResult,
} from "../../sdk/protocol/index.js";
import { identified, messageSize, prepareMessage } from "../message-input.js";
import type { RequestContext } from "../context.js";
import { noteMayHaveMessages } from "../partition-hints.js";
import { partitionCount, routesByGroup } from "../partitions.js";
import { parseQueueUrl, partitionStub, queueStub, type QueueRef } from "../queue-url.js";
import { checkBatchEntries } from "./batch.js";
import { unwrap, type Handler } from "./handler.js";
import { sendPartition, sendPartitionOf, toSendResult } from "./send-message.js";

export const sendMessageBatch: Handler<"SendMessageBatch"> = async (input, ctx) => {
  const ref = parseQueueUrl(input.QueueUrl, ctx);
  checkBatchEntries(input.Entries, "SendMessageBatchRequestEntry");
  // The whole batch is capped at 1 MiB, whatever the queue's MaximumMessageSize.
  const total = input.Entries.reduce((sum, entry) => sum + messageSize(entry), 0);
  if (total > MAX_BATCH_PAYLOAD_BYTES) throw SqsErrors.batchRequestTooLong(total);

  const failed: BatchResultErrorEntry[] = [];
  const accepted: { id: string; message: NewMessage }[] = [];
  for (const entry of input.Entries) {
    try {
      accepted.push({ id: entry.Id, message: identified(prepareMessage(entry, ctx.senderId, ctx.traceHeader)) });
    } catch (error) {
      if (!(error instanceof SqsError)) throw error;
      failed.push(entryFailure(entry.Id, error));
    }
  }
  const result: SendMessageBatchResult = { Successful: [], Failed: failed };
  // A missing queue fails the whole request, even when no entry would have reached it.
  if (accepted.length === 0) {
    unwrap(await queueStub(ctx, ref).exists());
    return result;
  }
  const outcomes = await sendToPartitions(ctx, ref, accepted.map((a) => a.message));
  outcomes.forEach((outcome, i) => {
    const id = accepted[i]!.id;
    if (outcome.ok) result.Successful.push({ Id: id, ...toSendResult(outcome.value) });
    else result.Failed.push(entryFailure(id, SqsError.fromData(outcome.error)));
  });
  // Clients match by Id, but AWS lists entries in request order.
  const order = new Map(input.Entries.map((e, i) => [e.Id, i]));
  result.Failed.sort((a, b) => order.get(a.Id)! - order.get(b.Id)!);
  return result;
};

/**
 * A standard queue's batch without groups goes whole to one partition; one with grouped entries
 * (a fair queue), and a partitioned FIFO queue's, is split by message group, each part to its
 * group's partition in parallel (the ungrouped entries together to one), the outcomes kept in
 * entry order.
 */
async function sendToPartitions(ctx: RequestContext, ref: QueueRef, messages: NewMessage[]): Promise<Outcome<SentMessage>[]> {
  const partitions = await partitionCount(ctx, ref);
  if (!routesByGroup(ref, partitions) && (partitions === 1 || messages.every((m) => m.groupId === undefined))) {
    const k = sendPartition(partitions);
    const sent = unwrap(await partitionStub(ctx, ref, k).send(messages, true));
    if (partitions > 1) noteMayHaveMessages(ref, k);
    return sent;
  }
  // AWS refuses a whole FIFO batch for a rule one entry breaks, and a part accepted by one
  // partition cannot be taken back when another refuses: these rules are settled before any part
  // is stored. A missing group breaks one whatever the queue's attributes.
  if (routesByGroup(ref, partitions) && messages.some((message) => message.groupId === undefined)) {
    throw SqsErrors.invalidParameterValue("The request must contain the parameter MessageGroupId.");
  }
  const ungrouped = sendPartition(partitions);
  const parts = new Map<number, number[]>();
  messages.forEach((message, i) => {
    const k = message.groupId === undefined ? ungrouped : sendPartitionOf(ref, partitions, message.groupId);
    parts.set(k, [...(parts.get(k) ?? []), i]);
  });
  const outcomes: Outcome<SentMessage>[] = new Array(messages.length);
  const sendPart = async ([k, indices]: [number, number[]]) => {
    const sent = unwrap(await partitionStub(ctx, ref, k).send(indices.map((i) => messages[i]!), true));
    noteMayHaveMessages(ref, k);
    sent.forEach((outcome, j) => (outcomes[indices[j]!] = outcome));
  };
  // A missing deduplication id breaks one unless the queue deduplicates by content, which only
  // the partitions know: a part with such an entry goes first, alone, and the rest only once it
  // was accepted (the rule holds for every partition alike). It costs a round trip per batch
  // that relies on ContentBasedDeduplication and spans partitions.
  const all = [...parts];
  const fifo = routesByGroup(ref, partitions);
  const first = fifo && all.length > 1 ? all.findIndex(([, indices]) => indices.some((i) => messages[i]!.dedupId === undefined)) : -1;
  if (first >= 0) await sendPart(all.splice(first, 1)[0]!);
  await Promise.all(all.map(sendPart));
  return outcomes;
}

/** Per-entry failures carry the Query-style code in both protocols. */
export function entryFailure(id: string, error: SqsError): BatchResultErrorEntry {
  return { Id: id, SenderFault: error.spec.fault === "Sender", Code: error.spec.queryCode, Message: error.message };
}
