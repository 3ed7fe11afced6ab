/** The queue object's RPC vocabulary: what the Worker hands in and gets back. */
import type { StringMap } from "../../sdk/protocol/index.js";

/** A message validated by the Worker (characters, attributes, MD5s), ready to store. */
export interface NewMessage {
  body: string;
  /** Message attributes as stored JSON (BinaryValue base64), or undefined when none. */
  attributes?: string;
  systemAttributes?: string;
  md5Body: string;
  md5Attributes?: string;
  md5SystemAttributes?: string;
  /** Bytes counted against MaximumMessageSize: body plus attribute names, types and values. */
  size: number;
  delaySeconds?: number;
  groupId?: string;
  dedupId?: string;
  senderId: string;
  /**
   * Chosen by the caller to make a retried send safe: a send whose id the queue has seen in the
   * last few minutes (send-ids.ts) is answered with the first send's result, and not stored again.
   */
  sendId?: string;
}

export interface SentMessage {
  messageId: string;
  md5Body: string;
  md5Attributes?: string;
  md5SystemAttributes?: string;
  sequenceNumber?: string;
}

/** A received message with everything the Worker needs to answer any attribute selection. */
export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
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

export interface ReceiveParams {
  maxMessages: number;
  /** Seconds; the queue's VisibilityTimeout when undefined. */
  visibilityTimeout?: number;
  /** Seconds; the queue's ReceiveMessageWaitTimeSeconds when undefined. */
  waitTimeSeconds?: number;
  /** Epoch ms: continue a long poll that an earlier call started (the Worker loops). */
  waitUntil?: number;
  attemptId?: string;
  /** Do not wait: when nothing is there, answer with the wait's deadline as `retryUntil`. */
  probe?: boolean;
}

export interface ReceiveOutcome {
  messages: ReceivedMessage[];
  /** Set when the poll was woken without messages being assigned: call again with waitUntil. */
  retryUntil?: number;
  /**
   * Set when this standard queue holds grouped messages (a fair queue): a partitioned queue's
   * receive then takes from several partitions, so no partition's noisy group fills it (worker/fair-receive.ts).
   */
  fair?: true;
  /** Whether the partition has more deliverable after this receive: the Worker's depth hint. */
  more?: boolean;
  /** With `more` false: when a message there becomes deliverable (a delay or visibility timeout ending), if any. */
  nextAt?: number;
  /** From partition 0: the queue's partition count, when it knows it (knownPartitionCount). */
  partitions?: number;
}

export interface CreateQueueArgs {
  name: string;
  accountId: string;
  region: string;
  attributes: StringMap;
  tags: StringMap;
}

export interface VisibilityChange {
  receiptHandle: string;
  visibilityTimeout: number;
}

/** The stored description of a queue. Timestamps are epoch ms. */
export interface QueueConfig {
  name: string;
  accountId: string;
  region: string;
  fifo: boolean;
  createdAt: number;
  lastModifiedAt: number;
  attributes: StringMap;
  tags: StringMap;
  /** Base64 HMAC key that signs this queue's receipt handles. */
  receiptKey: string;
  purgedAt?: number;
  /**
   * FIFO: the queue has deduplicated queue-wide at some point (DeduplicationScope `queue` at
   * creation or set later). AWS then keeps deduplicating queue-wide after a switch to
   * `messageGroup` (dedup.ts `effectiveScope`). Absent on queues stored before it was kept.
   */
  queueWideDedup?: true;
  /**
   * A high-throughput FIFO queue that gained partitions after its groups were placed: its count
   * now and the earlier ones, so a group stays where it is until empty (group-homes.ts).
   */
  groupRouting?: GroupRouting;
  /**
   * Partition 0 of a queue: its partition count, set by the Worker once the partitions exist
   * (worker/partitions.ts); it only grows. Absent on queues stored before it was kept.
   */
  partitions?: number;
}

/** The queue tag that asks for partitions (worker/partitions.ts PARTITION_TAG). */
export const PARTITION_TAG = "sluice:partitions";

/**
 * Partition 0's count of its queue's partitions: the stored one; 1 for a queue without the
 * partition tag (nothing else makes partitions); unknown for a tagged queue stored before the
 * count was kept (the Worker then reads the account's registry and stores it here).
 */
export function knownPartitionCount(config: QueueConfig): number | undefined {
  return config.partitions ?? (config.tags[PARTITION_TAG] === undefined ? 1 : undefined);
}

/** A queue's routing of FIFO groups after raises: its count now, and the earlier counts, newest first. */
export interface GroupRouting {
  partitions: number;
  earlier: number[];
  /** When the raise began (epoch ms): the next must wait until no Worker routes by an older count. */
  raisedAt: number;
}

/** A group's deduplication record, as stored (dedup.ts). */
export interface DedupRow extends Record<string, string | number | null> {
  dedup_key: string;
  message_id: string;
  sequence_number: string | null;
  expires_at: number;
}

/** What a partition that does not have a group hands to the group's new home. */
export interface Handover {
  dedup: DedupRow[];
  /** Its sequence high-water mark: the home's next numbers exceed every number issued here. */
  floor: number;
}

/** A partition's answer when asked to take items only if their group is there: null for "not here". */
export interface IfPresentAnswer<R> {
  results: (R | null)[];
  handover: Handover;
}

/** What remains of a deleted queue: enough for the 60-second re-create rule. */
export interface Tombstone {
  deletedAt: number;
}

/** What a queue object stores about its queue: the configuration, or what remains once deleted. */
export type StoredQueue = QueueConfig | Tombstone;

export function isLive(stored: StoredQueue | undefined): stored is QueueConfig {
  return stored !== undefined && "name" in stored;
}

export function queueArn(config: Pick<QueueConfig, "region" | "accountId" | "name">): string {
  return `arn:aws:sqs:${config.region}:${config.accountId}:${config.name}`;
}

export interface QueueSummary {
  name: string;
  fifo: boolean;
  arn: string;
  attributes: StringMap;
}

/** Where a peeked message is: deliverable now, received and hidden, or never received and not yet due. */
export type PeekState = "visible" | "in-flight" | "delayed";

/** What a peek asks for (peek.ts): a page of messages, read without changing any. */
export interface PeekParams {
  /** The states to show; every state when empty. */
  states: PeekState[];
  newestFirst: boolean;
  /** The seq the previous page ended at. */
  after?: number;
  /** At most this many messages (0 to 100; 0 asks only for `oldestEnqueuedAt`). */
  limit: number;
  /** Only messages whose body contains this text (case-sensitive). */
  search?: string;
  /** Bodies longer than this come cut to it (with their full length), so a page stays small. */
  maxBodyChars?: number;
}

/** A message as a peek shows it: everything a receive would, and its state, with no receipt handle. */
export interface PeekedMessage {
  seq: number;
  state: PeekState;
  messageId: string;
  body: string;
  /** The body's full length in characters, when `body` was cut to `maxBodyChars`. */
  bodyChars?: number;
  /** Message attributes as stored JSON (BinaryValue base64), if any. */
  attributes?: string;
  systemAttributes?: string;
  senderId: string;
  sentAt: number;
  receiveCount: number;
  firstReceiveAt?: number;
  /** When it is (or became) deliverable: the end of its delay or of its visibility timeout. */
  visibleAt: number;
  groupId?: string;
  dedupId?: string;
  sequenceNumber?: string;
  deadLetterSourceArn?: string;
}

export interface PeekPage {
  messages: PeekedMessage[];
  /** The cursor of the next page (its `after`), when there may be more. */
  next?: number;
  /** Whether the scan stopped at its bound before filling the page (a search that found little). */
  scanLimited: boolean;
  /**
   * When the oldest stored message was enqueued (a dead letter keeps its source's time), whatever
   * its state; absent when the queue is empty. What the queues page shows as its age.
   */
  oldestEnqueuedAt?: number;
}
