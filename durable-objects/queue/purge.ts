/** PurgeQueue: every message goes, and a FIFO queue's deduplication window with them. */
import { QUEUE_COOLDOWN_MS, SqsErrors } from "../../sdk/protocol/index.js";
import type { QueueContext } from "./context.js";
import { clearDeduplication } from "./dedup.js";
import type { QueueConfig } from "./types.js";

/** Purges the queue; `save` stores the config, which now carries the purge time (one purge a minute). */
export function purgeQueue(ctx: QueueContext, config: QueueConfig, save: (config: QueueConfig) => void): void {
  const now = ctx.clock.now();
  if (config.purgedAt !== undefined && now - config.purgedAt < QUEUE_COOLDOWN_MS) {
    throw SqsErrors.purgeQueueInProgress(config.name);
  }
  ctx.transaction(() => {
    ctx.stores.segments.clear();
    if (config.fifo) clearDeduplication(ctx.sql);
    config.purgedAt = now;
    save(config);
  });
  ctx.state.inFlightBound = undefined;
}
