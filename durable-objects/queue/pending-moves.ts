/**
 * The pending-move records of a source queue: one per message claimed for a dead-letter move,
 * kept until the move settles, so the alarm can retry an interrupted move long before the
 * receiving queue forgets the copy (dead-letter.ts). A record also keeps the partition count of the
 * dead-letter queue its copy was spread by (when more than 1), so a retry goes to the partition
 * that recognises the copy even if that queue gained partitions meanwhile (partition-routing.ts).
 */
import type { MessageRow } from "./message-types.js";
import type { Sql } from "../sql.js";

/** Pending-move records of a source queue, keyed by seq; they sort together, between these bounds. */
const PENDING_PREFIX = "\u0001pending:";
const PENDING_END = "\u0001pending;";
const pendingKey = (seq: number) => `${PENDING_PREFIX}${seq}`;

/**
 * Notes that the message is claimed for a move until `leaseEnd`. Kept in the dedup table so
 * the alarm that cleans that table is already scheduled for the lease's end.
 */
export function notePendingMove(sql: Sql, row: MessageRow, leaseEnd: number): void {
  sql.run(
    `INSERT INTO dedup (dedup_key, message_id, sequence_number, expires_at) VALUES (?, ?, NULL, ?)
     ON CONFLICT (dedup_key) DO UPDATE SET message_id = excluded.message_id, expires_at = excluded.expires_at`,
    pendingKey(row.seq),
    row.message_id,
    leaseEnd,
  );
}

/** Ends the pending-move record of this claim (a later claim of the same message has its own lease). */
export function settlePendingMove(sql: Sql, seq: number, leaseEnd: number): void {
  sql.run("DELETE FROM dedup WHERE dedup_key = ? AND expires_at = ?", pendingKey(seq), leaseEnd);
}

/**
 * Notes, before a copy leaves, the partition count it is spread by. The record's sequence_number
 * column, unused by pending moves, holds it; without it a count of 1 is meant (only counts above
 * 1 are noted, so an unpartitioned dead-letter queue costs no write here).
 */
export function pinPendingMoves(sql: Sql, claims: { seq: number; leaseEnd: number; partitions: number }[]): void {
  for (const { seq, leaseEnd, partitions } of claims) {
    if (partitions <= 1) continue;
    sql.run("UPDATE dedup SET sequence_number = ? WHERE dedup_key = ? AND expires_at = ?", String(partitions), pendingKey(seq), leaseEnd);
  }
}

/** The partition counts noted for these claimed messages' pending moves (pinPendingMoves), by seq. */
export function pinnedCounts(sql: Sql, seqs: number[]): Map<number, number> {
  const pins = new Map<number, number>();
  for (const seq of seqs) {
    const row = sql.one<{ n: string | null }>("SELECT sequence_number AS n FROM dedup WHERE dedup_key = ?", pendingKey(seq));
    if (row?.n) pins.set(seq, Number(row.n));
  }
  return pins;
}

/** A pending move whose lease ran out, and the partition count its copy was spread by (1 if none was noted). */
export interface LapsedMove {
  seq: number;
  partitions: number;
}

/** Takes the pending moves whose lease ran out: those moves were interrupted. */
export function takeLapsedMoves(sql: Sql, now: number): LapsedMove[] {
  const rows = sql.all<{ dedup_key: string; sequence_number: string | null }>(
    "SELECT dedup_key, sequence_number FROM dedup WHERE dedup_key > ? AND dedup_key < ? AND expires_at <= ?",
    PENDING_PREFIX,
    PENDING_END,
    now,
  );
  for (const { dedup_key } of rows) sql.run("DELETE FROM dedup WHERE dedup_key = ?", dedup_key);
  return rows.map((r) => ({
    seq: Number(r.dedup_key.slice(PENDING_PREFIX.length)),
    partitions: Math.max(1, Number(r.sequence_number ?? 1) || 1),
  }));
}
