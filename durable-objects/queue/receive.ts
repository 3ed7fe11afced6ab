/** Picking visible messages for a receive and hiding them for the visibility timeout. */
import { notePendingMove } from "./dead-letter.js";
import type { FifoGroups } from "./fifo-groups.js";
import type { SegmentStore } from "./segment-store.js";
import type { Sql } from "./sql.js";

/**
 * Where messages live: plain standard messages and FIFO messages in segments (segment-store.ts),
 * fair-queue messages (standard, with a group) one row each in `messages`. Rows of both look
 * alike (MessageRow).
 */
export interface MessageStores {
  sql: Sql;
  segments: SegmentStore;
  /** A FIFO queue's groups (in memory, kept by the segment store). */
  fifo?: FifoGroups;
  /**
   * Whether a receive of a plain message is written through instead of kept as a lease in
   * memory: on queues with a RedrivePolicy, so a crash cannot undo a receive that counts
   * towards maxReceiveCount.
   */
  durableReceives?: boolean;
}

/** Stored in segments: every message but a fair-queue one (standard, with a MessageGroupId). */
export const inSegments = (row: { group_id: string | null; sequence_number: string | null }): boolean =>
  row.group_id === null || row.sequence_number !== null;

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
  /** null while a move holds the message, or before its first receive */
  last_receive_at: number | null;
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
 * Takes up to `max` visible plain messages, oldest segment first (segment-store.ts: the cost
 * does not grow with the backlog), and makes each invisible until now + timeout. Messages past
 * retention are skipped (the alarm deletes them). While a standard queue has groups, receives
 * go through fair-groups.ts.
 */
export function pickVisibleMessages(stores: MessageStores, options: PickOptions): PickResult {
  const { now, max } = options;
  const rows = stores.segments.visible(now, now - options.retentionSeconds * 1000, max);
  const visibleAt = now + options.visibilityTimeoutSeconds * 1000;
  const result: PickResult = { picked: [], dead: [] };
  for (const row of rows) {
    if (isDeadLetter(row, options)) result.dead.push(claimForMove(stores, row, now));
    else result.picked.push(markReceived(stores, row, now, visibleAt));
  }
  return result;
}

/** A stored message of either kind, by seq. */
export function messageRow(stores: MessageStores, seq: number): MessageRow | undefined {
  return stores.segments.row(seq) ?? stores.sql.one<MessageRow>("SELECT * FROM messages WHERE seq = ?", seq);
}

/** Stores a fair-queue message as a row of `messages` (the others go to segments). */
export function insertRow(sql: Sql, row: MessageRow): void {
  sql.run(
    `INSERT INTO messages (seq, message_id, body, attributes, system_attributes, md5_body, md5_attributes,
       md5_system_attributes, sender_id, sent_at, enqueued_at, visible_at, receive_count, first_receive_at,
       group_id, dedup_id, sequence_number, dead_letter_source_arn)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    row.seq,
    row.message_id,
    row.body,
    row.attributes,
    row.system_attributes,
    row.md5_body,
    row.md5_attributes,
    row.md5_system_attributes,
    row.sender_id,
    row.sent_at,
    row.enqueued_at,
    row.visible_at,
    row.receive_count,
    row.first_receive_at,
    row.group_id,
    row.dedup_id,
    row.sequence_number,
    row.dead_letter_source_arn,
  );
}

/** Deletes a stored message of either kind. */
export function deleteRow(stores: MessageStores, row: MessageRow): void {
  if (inSegments(row)) stores.segments.remove(row.seq);
  else stores.sql.run("DELETE FROM messages WHERE seq = ?", row.seq);
}

/** Makes a stored message visible at `visibleAt` (a move that could not happen hands it back). */
export function setVisibleAt(stores: MessageStores, row: MessageRow, visibleAt: number): void {
  if (inSegments(row)) {
    const lease = stores.segments.leases.get(row.seq);
    if (lease) stores.segments.lease(row.seq, { ...lease, visibleAt });
    else stores.segments.setStored(row.seq, { ...row, visible_at: visibleAt, last_receive_at: row.last_receive_at ?? null });
  } else stores.sql.run("UPDATE messages SET visible_at = ? WHERE seq = ?", visibleAt, row.seq);
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
export function claimForMove(stores: MessageStores, row: MessageRow, now: number): MessageRow {
  const { sql } = stores;
  const leaseEnd = now + MOVE_LEASE_MS;
  const generation = row.receipt_gen + 1;
  // last_receive_at NULL marks the claim: earlier handles may not change visibility (visibility.ts).
  // Written through even for a plain message: the move must find its claim after a restart.
  if (inSegments(row)) {
    stores.segments.setStored(row.seq, {
      visible_at: leaseEnd,
      receive_count: row.receive_count,
      receipt_gen: generation,
      first_receive_at: row.first_receive_at,
      last_receive_at: null,
    });
  } else {
    sql.run(
      "UPDATE messages SET visible_at = ?, receipt_gen = ?, last_receive_at = NULL WHERE seq = ?",
      leaseEnd,
      generation,
      row.seq,
    );
  }
  notePendingMove(sql, row, leaseEnd);
  return { ...row, visible_at: leaseEnd, receipt_gen: generation };
}

/** Records one delivery of a message: hidden until `visibleAt`, counted, with a new handle generation. */
export function markReceived(stores: MessageStores, row: MessageRow, now: number, visibleAt: number): PickedMessage {
  const firstReceiveAt = row.first_receive_at ?? now;
  const generation = row.receipt_gen + 1;
  if (inSegments(row)) {
    const state = { visibleAt, receiveCount: row.receive_count + 1, firstReceiveAt, lastReceiveAt: now, generation };
    if (stores.durableReceives) {
      stores.segments.setStored(row.seq, {
        visible_at: visibleAt,
        receive_count: state.receiveCount,
        receipt_gen: generation,
        first_receive_at: firstReceiveAt,
        last_receive_at: now,
      });
    } else stores.segments.lease(row.seq, state);
    return toPicked({ ...row, receipt_gen: generation, receive_count: state.receiveCount, first_receive_at: firstReceiveAt });
  }
  stores.sql.run(
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

/** Fair-queue messages (standard, with a group) have a visibility index of their own. */
const FAIR = "sequence_number IS NULL AND group_id IS NOT NULL";

/** Standard queues: epoch ms at which the next invisible message becomes visible, if any. */
export function nextVisibleAt(stores: MessageStores, now: number): number | undefined {
  const fair =
    stores.sql.one<{ t: number | null }>(`SELECT MIN(visible_at) AS t FROM messages WHERE ${FAIR} AND visible_at > ?`, now)?.t ??
    Infinity;
  const next = Math.min(fair, stores.segments.nextDueAt(now) ?? Infinity);
  return Number.isFinite(next) ? next : undefined;
}

/** Standard queues: whether a receive right now would find something. */
export function hasVisibleMessage(stores: MessageStores, now: number, retentionSeconds: number): boolean {
  const expiredBefore = now - retentionSeconds * 1000;
  if (stores.segments.visible(now, expiredBefore, 1).length > 0) return true;
  return (
    stores.sql.one(
      `SELECT 1 AS x FROM messages WHERE ${FAIR} AND visible_at <= ? AND enqueued_at > ? LIMIT 1`,
      now,
      expiredBefore,
    ) !== undefined
  );
}

/** Messages received and still invisible, counted only up to `limit` (it guards the in-flight limit). */
export function countInFlight(stores: MessageStores, now: number, limit: number): number {
  const counted = stores.segments.inFlight(now, limit);
  if (counted >= limit) return counted;
  const row = stores.sql.one<{ n: number }>(
    `SELECT COUNT(*) AS n FROM (SELECT 1 FROM messages
       WHERE ${FAIR} AND visible_at > ? AND receive_count > 0 LIMIT ?)`,
    now,
    limit - counted,
  );
  return counted + Number(row?.n ?? 0);
}
