/**
 * Dead letters (sqs-spec.md section 6): the copy a source queue hands to its dead-letter queue,
 * and how the dead-letter queue stores it. The copy keeps MessageId, body, attributes, MD5s,
 * SentTimestamp and the receive count; it adds DeadLetterQueueSourceArn. Accepting is
 * idempotent by the copy's origin (queue and seq), so a move retried after an interruption
 * does not duplicate, while the same message dead-lettered again after a redrive still moves.
 */
import { dedupKey, findDuplicate, recordDedup } from "./dedup.js";
import { noteGroupSend } from "./fifo-groups.js";
import type { MessageRow } from "./receive.js";
import type { Sql } from "./sql.js";
import type { QueueConfig } from "./types.js";

export interface DeadLetter {
  /** Identifies this stored copy (`<queue arn>#<seq>`): a retried copy of it is recognised. */
  origin: string;
  messageId: string;
  body: string;
  attributes?: string;
  systemAttributes?: string;
  md5Body: string;
  md5Attributes?: string;
  md5SystemAttributes?: string;
  senderId: string;
  sentAt: number;
  enqueuedAt: number;
  receiveCount: number;
  firstReceiveAt?: number;
  groupId?: string;
  dedupId?: string;
}

export function toDeadLetter(row: MessageRow, queueArn: string): DeadLetter {
  return {
    origin: `${queueArn}#${row.seq}`,
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

/** Keys of the idempotency records, apart from FIFO deduplication ids. */
const movedKey = (origin: string) => dedupKey("queue", "", `\u0001moved:${origin}`);

export interface StoreLettersOptions {
  /** Whether the sending queue is FIFO: letters only move between queues of the same type. */
  fifo: boolean;
  /** ARN recorded as DeadLetterQueueSourceArn; undefined when redriving back out of a DLQ. */
  sourceArn?: string;
  /** Redrive (a move task) starts the message afresh: receive count 0, retention restarts. */
  fresh: boolean;
}

/** Stores letters that arrived from another queue; returns how many were new. */
export function storeLetters(
  sql: Sql,
  config: QueueConfig,
  now: number,
  letters: DeadLetter[],
  options: StoreLettersOptions,
  nextSeq: () => number,
): number {
  let stored = 0;
  for (const letter of letters) {
    const key = movedKey(letter.origin);
    if (findDuplicate(sql, key, now)) continue;
    const seq = nextSeq();
    const groupId = config.fifo ? (letter.groupId ?? "default") : letter.groupId;
    // Standard DLQs keep the original enqueue time for retention; FIFO DLQs restart it.
    const enqueuedAt = options.fresh || config.fifo ? now : letter.enqueuedAt;
    sql.run(
      `INSERT INTO messages (seq, message_id, body, attributes, system_attributes, md5_body, md5_attributes,
         md5_system_attributes, sender_id, sent_at, enqueued_at, visible_at, receive_count, first_receive_at,
         group_id, dedup_id, sequence_number, dead_letter_source_arn)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      seq,
      letter.messageId,
      letter.body,
      letter.attributes ?? null,
      letter.systemAttributes ?? null,
      letter.md5Body,
      letter.md5Attributes ?? null,
      letter.md5SystemAttributes ?? null,
      letter.senderId,
      letter.sentAt,
      enqueuedAt,
      now,
      options.fresh ? 0 : letter.receiveCount,
      options.fresh ? null : (letter.firstReceiveAt ?? null),
      groupId ?? null,
      config.fifo ? (letter.dedupId ?? null) : null,
      config.fifo ? String(seq) : null,
      options.sourceArn ?? null,
    );
    if (config.fifo) noteGroupSend(sql, groupId!, seq, now);
    recordDedup(sql, key, { messageId: letter.messageId }, now);
    stored += 1;
  }
  return stored;
}
