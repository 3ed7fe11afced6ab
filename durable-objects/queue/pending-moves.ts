/**
 * The pending-move records of a source queue: one per message claimed for a dead-letter move,
 * kept until the move settles, so the alarm can retry an interrupted move long before the
 * receiving queue forgets the copy (dead-letter.ts).
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

/** Takes the pending moves whose lease ran out: those moves were interrupted. */
export function takeLapsedMoves(sql: Sql, now: number): number[] {
  const rows = sql.all<{ dedup_key: string }>(
    "SELECT dedup_key FROM dedup WHERE dedup_key > ? AND dedup_key < ? AND expires_at <= ?",
    PENDING_PREFIX,
    PENDING_END,
    now,
  );
  for (const { dedup_key } of rows) sql.run("DELETE FROM dedup WHERE dedup_key = ?", dedup_key);
  return rows.map((r) => Number(r.dedup_key.slice(PENDING_PREFIX.length)));
}
