/** The shapes a message takes inside the engine: stored, picked for a receive, and how a pick is asked for. */
import type { ReceivedMessage } from "./types.js";

/** A stored message with its receive state (its lease applied), as the segment store hands it out. */
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
  /** The caller's id for the send that stored it (send-ids.ts), if it gave one. */
  send_id: string | null;
}

/** A message a receive delivers, before its receipt handle is signed. */
export interface PickedMessage extends Omit<ReceivedMessage, "receiptHandle"> {
  seq: number;
  generation: number;
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

/** A message copied to another queue: a dead letter, or a redriven message (dead-letter.ts). */
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

export interface StoreLettersOptions {
  /** Whether the sending queue is FIFO: letters only move between queues of the same type. */
  fifo: boolean;
  /** ARN recorded as DeadLetterQueueSourceArn; undefined when redriving back out of a DLQ. */
  sourceArn?: string;
  /** Redrive (a move task) stores a new message: new MessageId and SentTimestamp, receive count 0, retention restarts. */
  fresh: boolean;
}
