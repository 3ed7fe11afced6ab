/** Picking visible messages for a receive and hiding them for the visibility timeout. */
import { notePendingMove } from "./dead-letter.js";
import type { Sql } from "./sql.js";

export interface PickedMessage {
  seq: number;
  generation: number;
  messageId: string;
  body: string;
  md5Body: string;
  attributes?: string;
  md5Attributes?: string;
  systemAttributes?: string;
  senderId: string;
  sentAt: number;
  receiveCount: number;
  firstReceiveAt: number;
  groupId?: string;
  dedupId?: string;
  sequenceNumber?: string;
  deadLetterSourceArn?: string;
}

export interface MessageRow extends Record<string, string | number | null> {
  seq: number;
  message_id: string;
  body: string;
  md5_body: string;
  attributes: string | null;
  md5_attributes: string | null;
  md5_system_attributes: string | null;
  system_attributes: string | null;
  sender_id: string;
  sent_at: number;
  receive_count: number;
  first_receive_at: number | null;
  receipt_gen: number;
  group_id: string | null;
  dedup_id: string | null;
  sequence_number: string | null;
  dead_letter_source_arn: string | null;
  enqueued_at: number;
  visible_at: number;
}

export interface PickOptions {
  now: number;
  max: number;
  visibilityTimeoutSeconds: number;
  retentionSeconds: number;
  /** From the RedrivePolicy: a message already received this many times goes to the DLQ instead. */
  maxReceiveCount?: number;
}

export interface PickResult {
  picked: PickedMessage[];
  /** Claimed for a move to the dead-letter queue (hidden for a lease while the copy runs). */
  dead: MessageRow[];
}

/** How long a message claimed for a dead-letter move stays hidden if the move is interrupted. */
export const MOVE_LEASE_MS = 30_000;

/**
 * Takes up to `max` visible messages in (visible_at, seq) order — an index range scan, so
 * the cost does not grow with the backlog — and makes each invisible until now + timeout.
 * Messages past retention are skipped (the alarm deletes them). Only messages without a group:
 * while a standard queue has groups, receives go through fair-groups.ts.
 */
export function pickVisibleMessages(sql: Sql, options: PickOptions): PickResult {
  const { now, max } = options;
  const expiredBefore = now - options.retentionSeconds * 1000;
  const rows = sql.all<MessageRow>(
    `SELECT * FROM messages WHERE sequence_number IS NULL AND group_id IS NULL AND visible_at <= ? AND enqueued_at > ?
     ORDER BY visible_at, seq LIMIT ?`,
    now,
    expiredBefore,
    max,
  );
  const visibleAt = now + options.visibilityTimeoutSeconds * 1000;
  const result: PickResult = { picked: [], dead: [] };
  for (const row of rows) {
    if (isDeadLetter(row, options)) result.dead.push(claimForMove(sql, row, now));
    else result.picked.push(markReceived(sql, row, now, visibleAt));
  }
  return result;
}

/** The receive that would exceed maxReceiveCount moves the message instead (sqs-spec.md section 6). */
export function isDeadLetter(row: MessageRow, options: PickOptions): boolean {
  return options.maxReceiveCount !== undefined && row.receive_count >= options.maxReceiveCount;
}

/**
 * Hides a message for the move's lease, in the same transaction that chose it, so no one else
 * gets it. A new handle generation makes earlier receipt handles stale, so no consumer can
 * change its visibility mid-move; the pending-move record lets the alarm retry an interrupted move.
 */
export function claimForMove(sql: Sql, row: MessageRow, now: number): MessageRow {
  const leaseEnd = now + MOVE_LEASE_MS;
  const generation = row.receipt_gen + 1;
  // last_receive_at NULL marks the claim: earlier handles may not change visibility (visibility.ts).
  sql.run(
    "UPDATE messages SET visible_at = ?, receipt_gen = ?, last_receive_at = NULL WHERE seq = ?",
    leaseEnd,
    generation,
    row.seq,
  );
  notePendingMove(sql, row, leaseEnd);
  return { ...row, visible_at: leaseEnd, receipt_gen: generation };
}

/** Records one delivery of a message: hidden until `visibleAt`, counted, with a new handle generation. */
export function markReceived(sql: Sql, row: MessageRow, now: number, visibleAt: number): PickedMessage {
  const firstReceiveAt = row.first_receive_at ?? now;
  const generation = row.receipt_gen + 1;
  sql.run(
    `UPDATE messages SET visible_at = ?, receive_count = receive_count + 1, first_receive_at = ?, last_receive_at = ?,
       receipt_gen = ? WHERE seq = ?`,
    visibleAt,
    firstReceiveAt,
    now,
    generation,
    row.seq,
  );
  return toPicked({ ...row, receipt_gen: generation, receive_count: row.receive_count + 1, first_receive_at: firstReceiveAt });
}

/** A stored row as the queue object hands it out (after the row reflects the delivery). */
export function toPicked(row: MessageRow): PickedMessage {
  return {
    seq: row.seq,
    generation: row.receipt_gen,
    messageId: row.message_id,
    body: row.body,
    md5Body: row.md5_body,
    attributes: row.attributes ?? undefined,
    md5Attributes: row.md5_attributes ?? undefined,
    systemAttributes: row.system_attributes ?? undefined,
    senderId: row.sender_id,
    sentAt: row.sent_at,
    receiveCount: row.receive_count,
    firstReceiveAt: row.first_receive_at ?? row.sent_at,
    groupId: row.group_id ?? undefined,
    dedupId: row.dedup_id ?? undefined,
    sequenceNumber: row.sequence_number ?? undefined,
    deadLetterSourceArn: row.dead_letter_source_arn ?? undefined,
  };
}

/**
 * Standard messages live in two visibility indexes: without a group and with one (fair queues).
 * Each query below runs once per index, each an index range scan.
 */
const STANDARD_KINDS = ["group_id IS NULL", "group_id IS NOT NULL"] as const;

/** Standard queues: epoch ms at which the next invisible message becomes visible, if any. */
export function nextVisibleAt(sql: Sql, now: number): number | undefined {
  const times = STANDARD_KINDS.map(
    (kind) =>
      sql.one<{ t: number | null }>(
        `SELECT MIN(visible_at) AS t FROM messages WHERE sequence_number IS NULL AND ${kind} AND visible_at > ?`,
        now,
      )?.t ?? Infinity,
  );
  const next = Math.min(...times);
  return Number.isFinite(next) ? next : undefined;
}

/** Standard queues: whether a receive right now would find something. */
export function hasVisibleMessage(sql: Sql, now: number, retentionSeconds: number): boolean {
  const expiredBefore = now - retentionSeconds * 1000;
  return STANDARD_KINDS.some(
    (kind) =>
      sql.one(
        `SELECT 1 AS x FROM messages WHERE sequence_number IS NULL AND ${kind} AND visible_at <= ? AND enqueued_at > ? LIMIT 1`,
        now,
        expiredBefore,
      ) !== undefined,
  );
}

/** Messages received and still invisible, counted only up to `limit` (it guards the in-flight limit). */
export function countInFlight(sql: Sql, now: number, limit: number): number {
  let counted = 0;
  for (const kind of STANDARD_KINDS) {
    if (counted >= limit) break;
    const row = sql.one<{ n: number }>(
      `SELECT COUNT(*) AS n FROM (SELECT 1 FROM messages
         WHERE sequence_number IS NULL AND ${kind} AND visible_at > ? AND receive_count > 0 LIMIT ?)`,
      now,
      limit - counted,
    );
    counted += Number(row?.n ?? 0);
  }
  return counted;
}
