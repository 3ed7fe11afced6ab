import { parseQueueUrl, queueStub, registryStub } from "../queue-url.js";
import { unwrap, type Handler } from "./handler.js";

export const deleteQueue: Handler<"DeleteQueue"> = async (input, ctx) => {
  const ref = parseQueueUrl(input.QueueUrl, ctx);
  unwrap(await queueStub(ctx, ref).deleteQueue());
  await registryStub(ctx, ref.accountId).unregister(ref.name);
};
