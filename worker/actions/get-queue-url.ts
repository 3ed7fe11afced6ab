import { SqsErrors } from "../../sdk/protocol/index.js";
import { mayUse } from "../auth/queue-access.js";
import { queueStub, queueUrl } from "../queue-url.js";
import { unwrap, type Handler } from "./handler.js";

export const getQueueUrl: Handler<"GetQueueUrl"> = async (input, ctx) => {
  const ref = { accountId: input.QueueOwnerAWSAccountId ?? ctx.accountId, name: input.QueueName };
  if (ref.accountId === ctx.accountId) {
    unwrap(await queueStub(ctx, ref).exists());
    return { QueueUrl: queueUrl(ctx, ref) };
  }
  // Another account's queue is found only when its Policy grants GetQueueUrl; AWS answers
  // QueueDoesNotExist otherwise, so a name lookup never tells which queues exist.
  const described = await queueStub(ctx, ref).describe();
  if (!described.ok || !mayUse(ctx, ref, described.value, "GetQueueUrl")) throw SqsErrors.queueDoesNotExist();
  return { QueueUrl: queueUrl(ctx, ref) };
};
