import {
  MAX_VISIBILITY_TIMEOUT_SECONDS,
  SqsError,
  SqsErrors,
  type ChangeMessageVisibilityBatchResult,
} from "../../sdk/protocol/index.js";
import { parseQueueUrl, queueStub } from "../queue-url.js";
import { checkBatchEntries } from "./batch.js";
import { unwrap, type Handler } from "./handler.js";
import { entryFailure } from "./send-message-batch.js";

export const changeMessageVisibility: Handler<"ChangeMessageVisibility"> = async (input, ctx) => {
  const ref = parseQueueUrl(input.QueueUrl, ctx);
  checkTimeout(input.VisibilityTimeout);
  const [result] = unwrap(
    await queueStub(ctx, ref).changeVisibility([
      { receiptHandle: input.ReceiptHandle, visibilityTimeout: input.VisibilityTimeout },
    ]),
  );
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
  const stub = queueStub(ctx, ref);
  // A missing queue fails the whole request, even when no entry would have reached it.
  if (valid.length === 0) {
    unwrap(await stub.exists());
    return result;
  }
  const outcomes = unwrap(await stub.changeVisibility(valid));
  outcomes.forEach((outcome, i) => {
    const id = valid[i]!.id;
    if (outcome.ok) result.Successful.push({ Id: id });
    else result.Failed.push(entryFailure(id, SqsError.fromData(outcome.error)));
  });
  return result;
};

function checkTimeout(seconds: number): void {
  if (seconds < 0 || seconds > MAX_VISIBILITY_TIMEOUT_SECONDS) {
    throw SqsErrors.invalidParameter("VisibilityTimeout", seconds, "VisibilityTimeout must be >= 0 and <= 43200.");
  }
}
