/**
 * What the queue's alarm does when it fires (the alarm scheduler, alarm-scheduler.ts, decides
 * when): retries interrupted dead-letter moves, deletes expired messages and deduplication
 * records, and steps the running move task.
 */
import type { QueueContext } from "./context.js";
import { deleteExpiredDedup } from "./dedup.js";
import { deleteExpired } from "./retention.js";
import { retryDeadLetterMoves, stepMoveTask } from "./transfer.js";
import type { QueueConfig } from "./types.js";

/** `sweepDue(now)` says whether this run also sweeps the FIFO deduplication records. */
export async function runAlarm(ctx: QueueContext, config: QueueConfig, sweepDue: (now: number) => boolean): Promise<void> {
  // Before the dedup table is cleaned: it holds the pending moves whose lease ran out.
  await retryDeadLetterMoves(ctx, config);
  const now = ctx.clock.now();
  ctx.transaction(() => {
    deleteExpired(ctx.stores, now, Number(config.attributes.MessageRetentionPeriod));
    deleteExpiredDedup(ctx.sql, now, sweepDue(now));
  });
  await stepMoveTask(ctx, config);
}
