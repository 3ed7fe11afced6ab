import { deleteEveryPartition } from "../partition-fanout.js";
import { forget } from "../partitions.js";
import { parseQueueUrl, registryStub } from "../queue-url.js";
import type { Handler } from "./handler.js";

export const deleteQueue: Handler<"DeleteQueue"> = async (input, ctx) => {
  const ref = parseQueueUrl(input.QueueUrl, ctx);
  await deleteEveryPartition(ctx, ref);
  await registryStub(ctx, ref.accountId).unregister(ref.name);
  forget(ref);
};
