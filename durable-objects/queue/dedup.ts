/**
 * FIFO deduplication (sqs-spec.md section 5): a deduplication id seen in the last five minutes
 * returns the original MessageId and SequenceNumber instead of storing a message — also after
 * the original was deleted. PurgeQueue clears the window (clearDeduplication). The table is
 * bounded by expiry; the alarm cleans it.
 */
import { DEDUPLICATION_WINDOW_MS } from "../../sdk/protocol/index.js";
import type { Sql } from "./sql.js";

export interface DedupHit {
  messageId: string;
  sequenceNumber?: string;
}

/** Scope "messageGroup" makes the same id in two groups two different messages. */
export function dedupKey(scope: string | undefined, groupId: string, dedupId: string): string {
  return scope === "messageGroup" ? `${groupId}\u0000${dedupId}` : dedupId;
}

/**
 * The record that makes a FIFO send a duplicate. A record keeps the scope it was made under,
 * whatever DeduplicationScope says now: AWS keeps suppressing an id across the whole queue for
 * the records made before the scope changed from queue to messageGroup. So a send looks for
 * both: the id alone (a queue-scope record, any group) and the id in its group (a
 * messageGroup-scope record). Both are point lookups in the key index, in one query.
 */
export function findFifoDuplicate(sql: Sql, groupId: string, dedupId: string, now: number): DedupHit | undefined {
  const row = sql.one<{ message_id: string; sequence_number: string | null }>(
    `SELECT message_id, sequence_number FROM dedup WHERE dedup_key IN (?, ?) AND expires_at > ?
     ORDER BY expires_at DESC LIMIT 1`,
    dedupKey("queue", groupId, dedupId),
    dedupKey("messageGroup", groupId, dedupId),
    now,
  );
  return row ? { messageId: row.message_id, sequenceNumber: row.sequence_number ?? undefined } : undefined;
}

export function findDuplicate(sql: Sql, key: string, now: number): DedupHit | undefined {
  const row = sql.one<{ message_id: string; sequence_number: string | null }>(
    "SELECT message_id, sequence_number FROM dedup WHERE dedup_key = ? AND expires_at > ?",
    key,
    now,
  );
  return row ? { messageId: row.message_id, sequenceNumber: row.sequence_number ?? undefined } : undefined;
}

export function recordDedup(sql: Sql, key: string, hit: DedupHit, now: number): number {
  const expiresAt = now + DEDUPLICATION_WINDOW_MS;
  sql.run(
    `INSERT INTO dedup (dedup_key, message_id, sequence_number, expires_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (dedup_key) DO UPDATE SET message_id = excluded.message_id,
       sequence_number = excluded.sequence_number, expires_at = excluded.expires_at`,
    key,
    hit.messageId,
    hit.sequenceNumber ?? null,
    expiresAt,
  );
  return expiresAt;
}

/**
 * PurgeQueue forgets every deduplication id, of every scope and group (recorded against AWS:
 * send with id d, purge, send d again: the second message is accepted and delivered).
 * Only FIFO ids go: the move-idempotency records kept in the same table (dead-letter.ts) start
 * with a control character, which a deduplication id or a group id never holds.
 */
export function clearDeduplication(sql: Sql): void {
  sql.run("DELETE FROM dedup WHERE dedup_key >= ?", "\u0020");
}

export function deleteExpiredDedup(sql: Sql, now: number): void {
  sql.run("DELETE FROM dedup WHERE expires_at <= ?", now);
  sql.run("DELETE FROM receive_attempts WHERE expires_at <= ?", now);
}

export function nextDedupExpiry(sql: Sql): number | undefined {
  const a = sql.one<{ t: number | null }>("SELECT MIN(expires_at) AS t FROM dedup")?.t ?? undefined;
  const b = sql.one<{ t: number | null }>("SELECT MIN(expires_at) AS t FROM receive_attempts")?.t ?? undefined;
  if (a === undefined) return b;
  return b === undefined ? a : Math.min(a, b);
}
