import type { SentMessage } from "../../durable-objects/queue/types.js";
import type { SendMessageResult } from "../../sdk/protocol/index.js";
import { identified, prepareMessage } from "../message-input.js";
import { groupPartition, nextPartition, partitionCount, routesByGroup } from "../partitions.js";
import { noteFair } from "../fair-receive.js";
import { noteMayHaveMessages } from "../partition-hints.js";
import { parseQueueUrl, partitionStub, type QueueRef } from "../queue-url.js";
import { unwrap, type Handler } from "./handler.js";

export const sendMessage: Handler<"SendMessage"> = async (input, ctx) => {
  const ref = parseQueueUrl(input.QueueUrl, ctx);
  const message = identified(prepareMessage(input, ctx.senderId, ctx.traceHeader));
  const partitions = await partitionCount(ctx, ref);
  const k = sendPartitionOf(ref, partitions, message.groupId);
  const [result] = unwrap(await partitionStub(ctx, ref, k).send([message], false));
  if (partitions > 1) noteMayHaveMessages(ref, k);
  return toSendResult(unwrap(result!));
};

export function toSendResult(sent: SentMessage): SendMessageResult {
  const result: SendMessageResult = { MD5OfMessageBody: sent.md5Body, MessageId: sent.messageId };
  if (sent.md5Attributes) result.MD5OfMessageAttributes = sent.md5Attributes;
  if (sent.md5SystemAttributes) result.MD5OfMessageSystemAttributes = sent.md5SystemAttributes;
  if (sent.sequenceNumber) result.SequenceNumber = sent.sequenceNumber;
  return result;
}

/**
 * The partition the next send to a standard queue goes to, in this isolate's rotation. A whole
 * batch goes to one partition: one call, and the one-row cost of a batch kept. A retried send goes
 * to the same object (the stub is fixed), whose send id recognises the repeat. A partitioned FIFO
 * queue's sends go by their group instead (groupPartition).
 */
export function sendPartition(partitions: number): number {
  return partitions > 1 ? nextPartition(partitions) : 0;
}

/**
 * The partition of a message: a partitioned FIFO queue's by its group; a standard queue's grouped
 * message (a fair queue) by its group too, so a noisy group fills one partition and leaves the
 * others to the quiet ones (worker/fair-receive.ts); any other in rotation.
 */
export function sendPartitionOf(ref: QueueRef, partitions: number, groupId: string | undefined): number {
  if (partitions <= 1) return 0;
  if (routesByGroup(ref, partitions)) return groupPartition(groupId, partitions);
  if (groupId === undefined) return nextPartition(partitions);
  noteFair(ref);
  return groupPartition(groupId, partitions);
}
