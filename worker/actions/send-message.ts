import type { SentMessage } from "../../durable-objects/queue/types.js";
import type { SendMessageResult } from "../../sdk/protocol/index.js";
import { identified, prepareMessage } from "../message-input.js";
import { parseQueueUrl, queueStub } from "../queue-url.js";
import { unwrap, type Handler } from "./handler.js";

export const sendMessage: Handler<"SendMessage"> = async (input, ctx) => {
  const ref = parseQueueUrl(input.QueueUrl, ctx);
  const message = identified(prepareMessage(input, ctx.senderId, ctx.traceHeader));
  const [result] = unwrap(await queueStub(ctx, ref).send([message], false));
  return toSendResult(unwrap(result!));
};

export function toSendResult(sent: SentMessage): SendMessageResult {
  const result: SendMessageResult = { MD5OfMessageBody: sent.md5Body, MessageId: sent.messageId };
  if (sent.md5Attributes) result.MD5OfMessageAttributes = sent.md5Attributes;
  if (sent.md5SystemAttributes) result.MD5OfMessageSystemAttributes = sent.md5SystemAttributes;
  if (sent.sequenceNumber) result.SequenceNumber = sent.sequenceNumber;
  return result;
}
