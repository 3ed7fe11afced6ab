import {
  MAX_VISIBILITY_TIMEOUT_SECONDS,
  SqsError,
  SqsErrors,
  type ChangeMessageVisibilityBatchResult,
} from "../../sdk/protocol/index.js";
import type { VisibilityChange } from "../../durable-objects/queue/types.js";
import type { RequestContext } from "../context.js";
import { noteMayHaveMessages } from "../partition-hints.js";
import { callByHandle, splitHandle } from "../partitions.js";
import { parseQueueUrl, queueStub, type QueueRef } from "../queue-url.js";
import { checkBatchEntries } from "./batch.js";
import { unwrap, type Handler } from "./handler.js";
import { entryFailure } from "./send-message-batch.js";

export const changeMessageVisibility: Handler<"ChangeMessageVisibility"> = async (input, ctx) => {
  const ref = parseQueueUrl(input.QueueUrl, ctx);
  checkTimeout(input.VisibilityTimeout);
  const [result] = await changeByHandle(ctx, ref, [
    { receiptHandle: input.ReceiptHandle, visibilityTimeout: input.VisibilityTimeout },
  ]);
  unwrap(result!);
};

export const changeMessageVisibilityBatch: Handler<"ChangeMessageVisibilityBatch"> = async (input, ctx) => {
  const ref = parseQueueUrl(input.QueueUrl, ctx);
  checkBatchEntries(input.Entries, "ChangeMessageVisibilityBatchRequestEntry");
  const result: ChangeMessageVisibilityBatchResult = { Successful: [], Failed: [] };
  const valid: { id: string; receiptHandle: string; visibilityTimeout: number }[] = [];
  for (const entry of input.Entries) {
    try {
      // An entry without VisibilityTimeout is refused on its own, like a value out of range.
      if (entry.VisibilityTimeout === undefined) throw SqsErrors.missingParameter("VisibilityTimeout");
      checkTimeout(entry.VisibilityTimeout);
      valid.push({ id: entry.Id, receiptHandle: entry.ReceiptHandle, visibilityTimeout: entry.VisibilityTimeout });
    } catch (error) {
      if (!(error instanceof SqsError)) throw error;
      result.Failed.push(entryFailure(entry.Id, error));
    }
  }
  // A missing queue fails the whole request, even when no entry would have reached it.
  if (valid.length === 0) {
    unwrap(await queueStub(ctx, ref).exists());
    return result;
  }
  const outcomes = await changeByHandle(ctx, ref, valid);
  outcomes.forEach((outcome, i) => {
    const id = valid[i]!.id;
    if (outcome.ok) result.Successful.push({ Id: id });
    else result.Failed.push(entryFailure(id, SqsError.fromData(outcome.error)));
  });
  return result;
};

/**
 * Each change goes to the partition its handle names (worker/partitions.ts), which may then have
 * a message visible again: this isolate's depth hints look there next (worker/partition-hints.ts).
 */
async function changeByHandle<C extends VisibilityChange>(ctx: RequestContext, ref: QueueRef, changes: C[]) {
  const outcomes = await callByHandle(ctx, ref, changes, (c) => c.receiptHandle, (stub, group) =>
    stub.changeVisibility(group.map((g) => ({ ...g.item, receiptHandle: g.handle }))),
  );
  for (const change of changes) noteMayHaveMessages(ref, splitHandle(change.receiptHandle).partition);
  return outcomes;
}

function checkTimeout(seconds: number): void {
  if (seconds < 0 || seconds > MAX_VISIBILITY_TIMEOUT_SECONDS) {
    throw SqsErrors.invalidParameter("VisibilityTimeout", seconds, "VisibilityTimeout must be >= 0 and <= 43200.");
  }
}
