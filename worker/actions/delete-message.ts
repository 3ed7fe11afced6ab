import type { BatchResultErrorEntry, DeleteMessageBatchResult } from "../../sdk/protocol/index.js";
import { SqsError } from "../../sdk/protocol/index.js";
import { parseQueueUrl, queueStub } from "../queue-url.js";
import { checkBatchEntries } from "./batch.js";
import { unwrap, type Handler } from "./handler.js";
import { entryFailure } from "./send-message-batch.js";

export const deleteMessage: Handler<"DeleteMessage"> = async (input, ctx) => {
  const [result] = unwrap(await queueStub(ctx, parseQueueUrl(input.QueueUrl, ctx)).deleteMessages([input.ReceiptHandle]));
  unwrap(result!);
};

export const deleteMessageBatch: Handler<"DeleteMessageBatch"> = async (input, ctx) => {
  const ref = parseQueueUrl(input.QueueUrl, ctx);
  checkBatchEntries(input.Entries, "DeleteMessageBatchRequestEntry");
  const outcomes = unwrap(await queueStub(ctx, ref).deleteMessages(input.Entries.map((e) => e.ReceiptHandle)));
  const result: DeleteMessageBatchResult = { Successful: [], Failed: [] as BatchResultErrorEntry[] };
  outcomes.forEach((outcome, i) => {
    const id = input.Entries[i]!.Id;
    if (outcome.ok) result.Successful.push({ Id: id });
    else result.Failed.push(entryFailure(id, SqsError.fromData(outcome.error)));
  });
  return result;
};
