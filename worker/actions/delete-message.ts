import type { BatchResultErrorEntry, DeleteMessageBatchResult } from "../../sdk/protocol/index.js";
import { SqsError } from "../../sdk/protocol/index.js";
import { noteMayHaveMessages } from "../partition-hints.js";
import { callByHandle, splitHandle } from "../partitions.js";
import type { RequestContext } from "../context.js";
import { parseQueueUrl, type QueueRef } from "../queue-url.js";
import { checkBatchEntries } from "./batch.js";
import { unwrap, type Handler } from "./handler.js";
import { entryFailure } from "./send-message-batch.js";

export const deleteMessage: Handler<"DeleteMessage"> = async (input, ctx) => {
  const [result] = await deleteByHandle(parseQueueUrl(input.QueueUrl, ctx), [input.ReceiptHandle], ctx);
  unwrap(result!);
};

export const deleteMessageBatch: Handler<"DeleteMessageBatch"> = async (input, ctx) => {
  const ref = parseQueueUrl(input.QueueUrl, ctx);
  checkBatchEntries(input.Entries, "DeleteMessageBatchRequestEntry");
  const outcomes = await deleteByHandle(ref, input.Entries.map((e) => e.ReceiptHandle), ctx);
  const result: DeleteMessageBatchResult = { Successful: [], Failed: [] as BatchResultErrorEntry[] };
  outcomes.forEach((outcome, i) => {
    const id = input.Entries[i]!.Id;
    if (outcome.ok) result.Successful.push({ Id: id });
    else result.Failed.push(entryFailure(id, SqsError.fromData(outcome.error)));
  });
  return result;
};

/** Each handle goes to the partition it names (worker/partitions.ts). */
async function deleteByHandle(ref: QueueRef, handles: string[], ctx: RequestContext) {
  const outcomes = await callByHandle(ctx, ref, handles, (h) => h, (stub, group) => stub.deleteMessages(group.map((g) => g.handle)));
  // A FIFO delete ends its group's turn in flight: the group's next message becomes deliverable
  // in a partition whose last receive said it had nothing more (worker/partition-hints.ts).
  if (ref.name.endsWith(".fifo")) for (const handle of handles) noteMayHaveMessages(ref, splitHandle(handle).partition);
  return outcomes;
}
