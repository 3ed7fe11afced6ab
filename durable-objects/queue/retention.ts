/**
 * MessageRetentionPeriod: expired messages are deleted by the alarm and never delivered. Each
 * segment's summary knows its oldest enqueue time (segment-store.ts), dead letters included,
 * which keep their original one.
 */
import type { MessageStores } from "./message-state.js";

/** Deletes every message enqueued at or before now - retention; returns how many. */
export function deleteExpired(stores: MessageStores, now: number, retentionSeconds: number): number {
  return stores.segments.expire(now - retentionSeconds * 1000);
}

/** Epoch ms when the oldest message expires, if there is one. */
export function nextExpiry(stores: MessageStores, retentionSeconds: number): number | undefined {
  const oldest = stores.segments.oldestEnqueuedAt();
  return oldest === undefined ? undefined : oldest + retentionSeconds * 1000;
}
