import { onEveryPartition } from "../partition-fanout.js";
import { parseQueueUrl } from "../queue-url.js";
import type { Handler } from "./handler.js";

export const purgeQueue: Handler<"PurgeQueue"> = async (input, ctx) => {
  // Partition 0 keeps the queue's sixty-second rule; a later partition refusing by that rule was
  // purged by an earlier try of this request.
  await onEveryPartition(ctx, parseQueueUrl(input.QueueUrl, ctx), (stub) => stub.purge(), ["PurgeQueueInProgress"]);
};
