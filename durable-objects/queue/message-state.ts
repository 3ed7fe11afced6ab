/**
 * A stored message's receive state, changed through the segment store: delivered (a lease, or
 * stored at once where receives must survive a crash), claimed for a move, or made visible again.
 * Every operation and picker changes a message's state through these, never the store's fields.
 */
import { notePendingMove } from "./pending-moves.js";
import type { MessageRow, PickedMessage, PickOptions, PickResult } from "./message-types.js";
import type { SegmentStore } from "./segment-store.js";
import type { SendIds } from "./send-ids.js";
import type { Sql } from "../sql.js";

/** The queue's message store: its segments, and its SQLite for the small tables beside them. */
export interface MessageStores {
  sql: Sql;
  segments: SegmentStore;
  /**
   * Whether a receive is written through instead of kept as a lease in memory: on queues with a
   * RedrivePolicy, so a crash cannot undo a receive that counts towards maxReceiveCount.
   */
  durableReceives?: boolean;
  /** The caller-chosen ids of recent sends (send-ids.ts). */
  sendIds?: SendIds;
}

/** How long a message claimed for a dead-letter move stays hidden if the move is interrupted. */
export const MOVE_LEASE_MS = 30_000;

/** The receive that would exceed maxReceiveCount moves the message instead. */
export function isDeadLetter(row: MessageRow, options: PickOptions): boolean {
  return options.maxReceiveCount !== undefined && row.receive_count >= options.maxReceiveCount;
}

/** Delivers the message with this seq into `result`, or claims it for the dead-letter queue. */
export function takeMessage(stores: MessageStores, seq: number, options: PickOptions, result: PickResult): void {
  const row = stores.segments.row(seq);
  if (row) takeRow(stores, row, options, result);
}

export function takeRow(stores: MessageStores, row: MessageRow, options: PickOptions, result: PickResult): void {
  if (isDeadLetter(row, options)) result.dead.push(claimForMove(stores, row, options.now));
  else result.picked.push(markReceived(stores, row, options.now, options.now + options.visibilityTimeoutSeconds * 1000));
}

/** Makes a stored message visible at `visibleAt` (a move that could not happen hands it back). */
export function setVisibleAt(stores: MessageStores, row: MessageRow, visibleAt: number): void {
  const lease = stores.segments.leases.get(row.seq);
  if (lease) stores.segments.lease(row.seq, { ...lease, visibleAt });
  else stores.segments.setStored(row.seq, { ...row, visible_at: visibleAt, last_receive_at: row.last_receive_at ?? null });
}

/**
 * Hides a message for the move's lease, in the same transaction that chose it, so no one else
 * gets it. A new handle generation makes earlier receipt handles stale, so no consumer can
 * change its visibility mid-move; the pending-move record lets the alarm retry an interrupted move.
 */
export function claimForMove(stores: MessageStores, row: MessageRow, now: number): MessageRow {
  const leaseEnd = now + MOVE_LEASE_MS;
  const generation = row.receipt_gen + 1;
  // last_receive_at NULL marks the claim: earlier handles may not change visibility (visibility.ts).
  // Written through: the move must find its claim after a restart.
  stores.segments.setStored(row.seq, {
    visible_at: leaseEnd,
    receive_count: row.receive_count,
    receipt_gen: generation,
    first_receive_at: row.first_receive_at,
    last_receive_at: null,
  });
  notePendingMove(stores.sql, row, leaseEnd);
  return { ...row, visible_at: leaseEnd, receipt_gen: generation };
}

/** Records one delivery of a message: hidden until `visibleAt`, counted, with a new handle generation. */
export function markReceived(stores: MessageStores, row: MessageRow, now: number, visibleAt: number): PickedMessage {
  const firstReceiveAt = row.first_receive_at ?? now;
  const generation = row.receipt_gen + 1;
  const receiveCount = row.receive_count + 1;
  if (stores.durableReceives) {
    stores.segments.setStored(row.seq, {
      visible_at: visibleAt,
      receive_count: receiveCount,
      receipt_gen: generation,
      first_receive_at: firstReceiveAt,
      last_receive_at: now,
    });
  } else stores.segments.lease(row.seq, { visibleAt, receiveCount, firstReceiveAt, lastReceiveAt: now, generation });
  return toPicked({ ...row, receipt_gen: generation, receive_count: receiveCount, first_receive_at: firstReceiveAt });
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
