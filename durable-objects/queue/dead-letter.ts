/**
 * Dead letters: the copy a source queue hands to its dead-letter queue,
 * and how the dead-letter queue stores it. The copy keeps MessageId, body, attributes, MD5s,
 * SentTimestamp and the receive count; it adds DeadLetterQueueSourceArn. A FIFO dead letter's
 * deduplication id becomes its MessageId, and a redrive (move task) stores a new message with a
 * new MessageId, SentTimestamp and retention, as AWS documents ("Configure a dead-letter queue
 * redrive"). Accepting is idempotent by the copy's origin (queue and
 * seq), never by MessageId, so a move retried after an interruption does not duplicate, while the
 * same message dead-lettered again after a redrive still moves.
 *
 * The source side keeps a pending-move record per claimed letter until the move settles
 * (pending-moves.ts).
 */
import { dedupKey, findDuplicate, recordDedup } from "./dedup.js";
import { SqsErrors } from "../../sdk/protocol/index.js";
import type { QueueContext } from "./context.js";
import type { MessageStores } from "./message-state.js";
import type { DeadLetter, MessageRow, StoreLettersOptions } from "./message-types.js";
import { sequenceNumberOf } from "./sequence-number.js";
import type { QueueConfig } from "./types.js";

/**
 * The copy of a stored message. Its origin names the partition it leaves from (seqs are each
 * partition's own), so two partitions' letters never pass for one; partition 0's origin is what
 * every queue's always was.
 */
export function toDeadLetter(row: MessageRow, queueArn: string, partition = 0): DeadLetter {
  return {
    origin: partition === 0 ? `${queueArn}#${row.seq}` : `${queueArn}#${partition}.${row.seq}`,
    messageId: row.message_id,
    body: row.body,
    attributes: row.attributes ?? undefined,
    systemAttributes: row.system_attributes ?? undefined,
    md5Body: row.md5_body,
    md5Attributes: row.md5_attributes ?? undefined,
    md5SystemAttributes: row.md5_system_attributes ?? undefined,
    senderId: row.sender_id,
    sentAt: row.sent_at,
    enqueuedAt: row.enqueued_at,
    receiveCount: row.receive_count,
    firstReceiveAt: row.first_receive_at ?? undefined,
    groupId: row.group_id ?? undefined,
    dedupId: row.dedup_id ?? undefined,
  };
}

/** Keys of the idempotency records, apart from FIFO deduplication ids (which never hold control characters). */
const movedKey = (origin: string) => dedupKey("queue", "", `\u0001moved:${origin}`);

/** Whether this queue already stored a copy of the letter (a retried move). */
export function letterKnown(sql: MessageStores["sql"], letter: DeadLetter, now: number): boolean {
  return findDuplicate(sql, movedKey(letter.origin), now) !== undefined;
}

/** Dead letters (or redriven messages) arriving from another queue, stored at once; returns how many were new. */
export function acceptLetters(ctx: QueueContext, config: QueueConfig, letters: DeadLetter[], options: StoreLettersOptions): number {
  // A FIFO queue's dead letters can only go to a FIFO queue, and standard to standard.
  if (options.fifo !== config.fifo) {
    throw SqsErrors.invalidParameterValue("Dead-letter target queue must be of the same type as the source queue.");
  }
  const now = ctx.clock.now();
  return ctx.transaction(() => storeLetters(ctx.stores, config, now, letters, options, () => ctx.nextSeq(now)));
}

/** Stores letters that arrived from another queue; returns how many were new. */
export function storeLetters(
  stores: MessageStores,
  config: QueueConfig,
  now: number,
  letters: DeadLetter[],
  options: StoreLettersOptions,
  nextSeq: () => number,
): number {
  const { sql } = stores;
  let stored = 0;
  for (const letter of letters) {
    const key = movedKey(letter.origin);
    const copy = findDuplicate(sql, key, now);
    if (copy) {
      // The sender is still retrying: keep recognising the copy for as long as it does.
      recordDedup(sql, key, copy, now);
      continue;
    }
    const seq = nextSeq();
    const groupId = config.fifo ? (letter.groupId ?? "default") : letter.groupId;
    const messageId = options.fresh ? crypto.randomUUID() : letter.messageId;
    // Standard DLQs keep the original enqueue time for retention; FIFO DLQs restart it.
    const enqueuedAt = options.fresh || config.fifo ? now : letter.enqueuedAt;
    // So two dead letters that shared a deduplication id are still two messages in the DLQ.
    const dedupId = options.fresh ? letter.dedupId : letter.messageId;
    const row = {
      seq,
      message_id: messageId,
      body: letter.body,
      attributes: letter.attributes ?? null,
      system_attributes: letter.systemAttributes ?? null,
      md5_body: letter.md5Body,
      md5_attributes: letter.md5Attributes ?? null,
      md5_system_attributes: letter.md5SystemAttributes ?? null,
      sender_id: letter.senderId,
      sent_at: options.fresh ? now : letter.sentAt,
      enqueued_at: enqueuedAt,
      visible_at: now,
      receive_count: options.fresh ? 0 : letter.receiveCount,
      first_receive_at: options.fresh ? null : (letter.firstReceiveAt ?? null),
      last_receive_at: null,
      receipt_gen: 0,
      group_id: groupId ?? null,
      dedup_id: config.fifo ? (dedupId ?? null) : null,
      sequence_number: config.fifo ? sequenceNumberOf(seq) : null,
      dead_letter_source_arn: options.sourceArn ?? null,
      send_id: null,
    };
    stores.segments.insert([row]);
    recordDedup(sql, key, { messageId }, now);
    stored += 1;
  }
  return stored;
}
