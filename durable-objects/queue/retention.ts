/**
 * MessageRetentionPeriod: expired messages are deleted by the alarm and never delivered.
 * Plain messages: each segment's summary knows its oldest enqueue time (segment-store.ts).
 *
 * For the rows of `messages`: enqueue times grow with seq for every message a queue accepted itself, so the oldest of
 * those is the first by seq and the expired ones form a seq prefix. Dead letters keep their
 * original enqueue time (sqs-spec.md section 6) and are found through a partial index. This
 * saves the row an age index would cost on every send.
 */
import type { MessageStores } from "./receive.js";

const DELETE_CHUNK = 500;

/** Deletes every message enqueued at or before now - retention; returns how many. */
export function deleteExpired(stores: MessageStores, now: number, retentionSeconds: number): number {
  const { sql } = stores;
  const cutoff = now - retentionSeconds * 1000;
  let deleted = stores.segments.expire(cutoff);
  const letters = sql.all<{ seq: number }>(
    "SELECT seq FROM messages WHERE dead_letter_source_arn IS NOT NULL AND enqueued_at <= ?",
    cutoff,
  );
  for (const { seq } of letters) sql.run("DELETE FROM messages WHERE seq = ?", seq);
  deleted += letters.length;
  for (;;) {
    const rows = sql.all<{ seq: number; enqueued_at: number; dead_letter_source_arn: string | null }>(
      "SELECT seq, enqueued_at, dead_letter_source_arn FROM messages ORDER BY seq LIMIT ?",
      DELETE_CHUNK,
    );
    const prefix: number[] = [];
    for (const row of rows) {
      if (row.enqueued_at > cutoff) {
        if (row.dead_letter_source_arn === null) break;
        continue;
      }
      prefix.push(row.seq);
    }
    if (prefix.length === 0) return deleted;
    sql.run("DELETE FROM messages WHERE seq <= ? AND enqueued_at <= ?", prefix[prefix.length - 1]!, cutoff);
    deleted += prefix.length;
    if (rows.length < DELETE_CHUNK) return deleted;
  }
}

/** Epoch ms when the oldest message expires, if there is one. */
export function nextExpiry(stores: MessageStores, retentionSeconds: number): number | undefined {
  const { sql } = stores;
  const plain = stores.segments.oldestEnqueuedAt();
  const first = sql.one<{ t: number }>("SELECT enqueued_at AS t FROM messages ORDER BY seq LIMIT 1")?.t;
  const letter = sql.one<{ t: number | null }>(
    "SELECT MIN(enqueued_at) AS t FROM messages WHERE dead_letter_source_arn IS NOT NULL",
  )?.t;
  const oldest = Math.min(first ?? Infinity, letter ?? Infinity, plain ?? Infinity);
  return Number.isFinite(oldest) ? oldest + retentionSeconds * 1000 : undefined;
}
