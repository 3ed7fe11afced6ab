import { queueStub, queueUrl } from "../queue-url.js";
import { unwrap, type Handler } from "./handler.js";

export const getQueueUrl: Handler<"GetQueueUrl"> = async (input, ctx) => {
  const ref = { accountId: input.QueueOwnerAWSAccountId ?? ctx.accountId, name: input.QueueName };
  unwrap(await queueStub(ctx, ref).exists());
  return { QueueUrl: queueUrl(ctx, ref) };
};
