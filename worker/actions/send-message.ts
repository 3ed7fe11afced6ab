import type { SentMessage } from "../../durable-objects/queue/types.js";
import type { SendMessageResult } from "../../sdk/protocol/index.js";
import { identified, prepareMessage } from "../message-input.js";
import type { RequestContext } from "../context.js";
import { nextPartition, partitionCount } from "../partitions.js";
import { parseQueueUrl, partitionStub, type QueueRef } from "../queue-url.js";
import { unwrap, type Handler } from "./handler.js";

export const sendMessage: Handler<"SendMessage"> = async (input, ctx) => {
  const ref = parseQueueUrl(input.QueueUrl, ctx);
  const message = identified(prepareMessage(input, ctx.senderId, ctx.traceHeader));
  const [result] = unwrap(await (await sendingStub(ctx, ref)).send([message], false));
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
 * The partition the next send goes to, in this isolate's rotation. A whole batch goes to one
 * partition: one call, and the one-row cost of a batch kept. A retried send goes to the same
 * object (the stub is fixed), whose send id recognises the repeat.
 */
export async function sendingStub(ctx: RequestContext, ref: QueueRef) {
  const partitions = await partitionCount(ctx, ref);
  return partitionStub(ctx, ref, partitions > 1 ? nextPartition(partitions) : 0);
}
