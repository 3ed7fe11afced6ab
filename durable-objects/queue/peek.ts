/**
 * Peek (the console's message view): a page of the queue's messages read through the message
 * store without changing any. No lease is taken, no receive counted, no dead-letter move made,
 * nothing is written, and the receive path's hints are untouched: what a receive would do next is
 * exactly what it would have done without the peek.
 */
import type { MessageStores } from "./message-state.js";
import type { MessageRow } from "./message-types.js";
import type { PeekedMessage, PeekPage, PeekParams, PeekState } from "./types.js";

export const MAX_PEEK_LIMIT = 100;
/** A page reads at most this many messages, so a search in a deep backlog answers in bounded time. */
export const PEEK_SCAN_BOUND = 10_000;

export function peekMessages(stores: MessageStores, now: number, retentionSeconds: number, params: PeekParams): PeekPage {
  const limit = Math.max(0, Math.min(MAX_PEEK_LIMIT, Math.floor(params.limit)));
  const expiredBefore = now - retentionSeconds * 1000;
  // From the segment summaries alone: no segment is read for it.
  const oldest = stores.segments.oldestEnqueuedAt();
  const age = oldest === undefined ? {} : { oldestEnqueuedAt: Math.max(oldest, expiredBefore) };
  if (limit === 0) return { messages: [], scanLimited: false, ...age };
  const messages: PeekedMessage[] = [];
  let scanned = 0;
  let last: number | undefined;
  for (const row of stores.segments.rowsInOrder(params.newestFirst, params.after)) {
    if (messages.length >= limit) return { messages, next: last, scanLimited: false, ...age };
    if (scanned >= PEEK_SCAN_BOUND) return { messages, next: last, scanLimited: true, ...age };
    scanned += 1;
    last = row.seq;
    // Past retention: gone for every reader, though the alarm has not deleted it yet.
    if (row.enqueued_at <= expiredBefore) continue;
    const state = stateOf(row, now);
    if (params.states.length > 0 && !params.states.includes(state)) continue;
    if (params.search && !row.body.includes(params.search)) continue;
    messages.push(toPeeked(row, state, params.maxBodyChars));
  }
  return { messages, scanLimited: false, ...age };
}

function stateOf(row: MessageRow, now: number): PeekState {
  if (row.visible_at <= now) return "visible";
  return row.receive_count > 0 ? "in-flight" : "delayed";
}

function toPeeked(row: MessageRow, state: PeekState, maxBodyChars: number | undefined): PeekedMessage {
  const cut = maxBodyChars !== undefined && row.body.length > maxBodyChars;
  const message: PeekedMessage = {
    seq: row.seq,
    state,
    messageId: row.message_id,
    body: cut ? row.body.slice(0, maxBodyChars) : row.body,
    senderId: row.sender_id,
    sentAt: row.sent_at,
    receiveCount: row.receive_count,
    visibleAt: row.visible_at,
  };
  if (cut) message.bodyChars = row.body.length;
  if (row.attributes !== null) message.attributes = row.attributes;
  if (row.system_attributes !== null) message.systemAttributes = row.system_attributes;
  if (row.first_receive_at !== null) message.firstReceiveAt = row.first_receive_at;
  if (row.group_id !== null) message.groupId = row.group_id;
  if (row.dedup_id !== null) message.dedupId = row.dedup_id;
  if (row.sequence_number !== null) message.sequenceNumber = row.sequence_number;
  if (row.dead_letter_source_arn !== null) message.deadLetterSourceArn = row.dead_letter_source_arn;
  return message;
}
