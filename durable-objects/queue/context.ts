/**
 * What the operations are handed by the queue object (queue-engine.ts builds it, once): the message
 * store, transactions, the clock, the port to other queues, and the few pieces of state that
 * outlive one request.
 */
import type { Sql } from "../sql.js";
import type { Clock } from "./clock.js";
import type { Waiters } from "./long-poll.js";
import type { MessageStores } from "./message-state.js";
import type { Picker } from "./picker.js";
import type { QueuePort } from "./queue-port.js";
import type { ReceiptKeys } from "./receipt-handle.js";

/** What moves between queues need (transfer.ts). */
export interface TransferContext {
  sql: Sql;
  stores: MessageStores;
  /** A transaction that writes the segments' changes before it ends (moves, the alarm). */
  transaction<T>(fn: () => T): T;
  clock: Clock;
  /** Other queues, by ARN: where dead letters and redriven messages are copied to. */
  queues: QueuePort;
  /** Which partition of its queue this object is (0 for an unpartitioned queue): its letters' origins name it. */
  partition: number;
  /** Makes sure the queue's alarm fires by `at` (an interrupted dead-letter move is retried then). */
  wake(at: number): void;
}

/** What the queue object keeps between receives; it resets a field when the queue changes under it. */
export interface ReceiveState {
  /** Upper bound of messages in flight: the exact count is only taken when this nears the limit. */
  inFlightBound: number | undefined;
}

/** Everything an operation may use. */
export interface QueueContext extends TransferContext {
  /** The storage's own transaction: the segments' changes wait for the group commit. */
  transactionSync<T>(fn: () => T): T;
  /** The next message seq (sequence.ts). */
  nextSeq(now: number): number;
  /** The sequence allocator's high-water mark, read and raised when a FIFO group changes partition (group-homes.ts). */
  sequence: { readonly issued: number; atLeast(floor: number): void };
  state: ReceiveState;
  /** The queue's picker (picker.ts), chosen once from its type (set before any operation runs). */
  picker: Picker;
  /** The queue's receipt-handle key; only asked for when a receive delivers something. */
  receiptKeys: ReceiptKeys;
  waiters: Waiters;
  /** Wakes waiters if a receive would find a message now, else arms a timer for the next one. */
  wakeWaiters(now: number): void;
}
