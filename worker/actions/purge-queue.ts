import { parseQueueUrl, queueStub } from "../queue-url.js";
import { unwrap, type Handler } from "./handler.js";

export const purgeQueue: Handler<"PurgeQueue"> = async (input, ctx) => {
  unwrap(await queueStub(ctx, parseQueueUrl(input.QueueUrl, ctx)).purge());
};
