/**
 * FIFO deduplication: a deduplication id seen in the last five minutes
 * returns the original MessageId and SequenceNumber instead of storing a message — also after
 * the original was deleted. PurgeQueue clears the window (clearDeduplication). The table is
 * bounded by expiry; the alarm sweeps it (DEDUP_SWEEP_MS).
 */
import { DEDUPLICATION_WINDOW_MS } from "../../sdk/protocol/index.js";
import type { Sql } from "../sql.js";

export interface DedupHit {
  messageId: string;
  sequenceNumber?: string;
}

/**
 * The scope a FIFO send's deduplication record is made under. A queue that has ever deduplicated
 * queue-wide keeps doing so after DeduplicationScope changes to messageGroup: AWS deduplicates a
 * later send with a known id in another group, for ids sent before the switch and for ids first
 * sent after it (recorded against AWS). Only a queue that was messageGroup from the start (or
 * stored before this was kept) makes records per group.
 */
export function effectiveScope(config: { attributes: { DeduplicationScope?: string }; queueWideDedup?: true }): string | undefined {
  return config.queueWideDedup ? "queue" : config.attributes.DeduplicationScope;
}

/** Marks a FIFO queue whose DeduplicationScope is (now) `queue`: it deduplicates queue-wide from now on. */
export function noteDedupScope(config: { fifo: boolean; attributes: { DeduplicationScope?: string }; queueWideDedup?: true }): void {
  if (config.fifo && config.attributes.DeduplicationScope !== "messageGroup") config.queueWideDedup = true;
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
  sql.run("DELETE FROM dedup WHERE dedup_key >= ?", FIFO_KEYS);
}

/**
 * FIFO deduplication records carry no expiry index: it would cost a row on every FIFO send.
 * They are swept at most this often instead, by a scan (rows read cost a thousandth of rows
 * written); a lookup ignores an expired record, so sweeping late changes nothing. The
 * move-idempotency and pending-move records (keys below FIFO_KEYS) keep a partial index, since
 * a pending move is retried at its lease's end.
 */
export const DEDUP_SWEEP_MS = 60_000;
/** Deduplication ids and group ids never hold control characters: FIFO keys sort from here. */
const FIFO_KEYS = "\u0020";

/** Deletes expired records: always the move records and receive attempts, the FIFO ones when `sweepFifo`. */
export function deleteExpiredDedup(sql: Sql, now: number, sweepFifo: boolean): void {
  // The literal ' ' (FIFO_KEYS) lets SQLite use the partial index dedup_moves_by_expiry.
  sql.run("DELETE FROM dedup WHERE dedup_key < ' ' AND expires_at <= ?", now);
  if (sweepFifo) sql.run("DELETE FROM dedup WHERE dedup_key >= ? AND expires_at <= ?", FIFO_KEYS, now);
  sql.run("DELETE FROM receive_attempts WHERE expires_at <= ?", now);
}

/** When the next move record or receive attempt expires (FIFO records: see `hasFifoDedup`). */
export function nextDedupExpiry(sql: Sql): number | undefined {
  const a =
    sql.one<{ t: number | null }>("SELECT MIN(expires_at) AS t FROM dedup WHERE dedup_key < ' '")?.t ?? undefined;
  const b = sql.one<{ t: number | null }>("SELECT MIN(expires_at) AS t FROM receive_attempts")?.t ?? undefined;
  if (a === undefined) return b;
  return b === undefined ? a : Math.min(a, b);
}

/** Whether FIFO deduplication records are stored (then a sweep is due every DEDUP_SWEEP_MS). */
export function hasFifoDedup(sql: Sql): boolean {
  return sql.one("SELECT 1 AS x FROM dedup WHERE dedup_key >= ? LIMIT 1", FIFO_KEYS) !== undefined;
}
