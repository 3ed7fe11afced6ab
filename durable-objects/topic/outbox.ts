/**
 * The durable outbox: Publish writes one row per message and answers once it is stored; the
 * fan-out (fanout.ts) works through the rows and deletes each once every subscription it goes
 * to has it. A FIFO topic's deduplication ids are kept five minutes, per topic or per message
 * group (FifoThroughputScope), and a repeat is answered with the first publish's ids.
 */
import { SqsError } from "../../sdk/protocol/index.js";
import type { Sql } from "../sql.js";
import type { PublishEntry, Published, TopicConfig } from "./types.js";

export const DEDUP_WINDOW_MS = 5 * 60 * 1000;

/** A delivery still owed: tried `attempts` times so far, next due at `dueAt` (epoch ms). */
export interface Owed {
  attempts: number;
  dueAt: number;
  /**
   * A queue delivery: the destination's partition count when it was first tried, stored before
   * that try, so every retry goes to the partition the first one reached (queue-delivery.ts).
   */
  partitions?: number;
}

/** Subscription id -> what is still owed it. */
export type Remaining = Record<string, Owed>;

export interface OutboxRow {
  seq: number;
  messageId: string;
  entry: PublishEntry;
  publishedAt: number;
  /** The subscriptions still owed the message; undefined until the first fan-out picks them. */
  remaining: Remaining | undefined;
}

/** A FIFO topic's SequenceNumber: 20 digits, growing with every publish. */
export function sequenceNumber(seq: number): string {
  return `1${String(seq).padStart(19, "0")}`;
}

/** Stores the entries (one transaction: the caller's RPC runs without awaiting). */
export function publish(sql: Sql, config: TopicConfig, entries: PublishEntry[], now: number): Published[] {
  return entries.map((entry) => publishOne(sql, config, entry, now));
}

function publishOne(sql: Sql, config: TopicConfig, entry: PublishEntry, now: number): Published {
  let dedup: { scope: string; id: string } | undefined;
  if (config.fifo) {
    const id = entry.dedupId ?? (config.attributes.ContentBasedDeduplication === "true" ? entry.contentHash : undefined);
    if (id === undefined) {
      throw new SqsError(
        "InvalidParameter",
        "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
      );
    }
    dedup = { scope: config.attributes.FifoThroughputScope === "MessageGroup" ? (entry.groupId ?? "") : "", id };
    const first = sql.one<{ message_id: string; seq: number }>(
      "SELECT message_id, seq FROM dedup WHERE scope = ? AND dedup_id = ? AND expires_at > ?",
      dedup.scope,
      dedup.id,
      now,
    );
    if (first) return { messageId: first.message_id, sequenceNumber: sequenceNumber(first.seq) };
  }
  const messageId = crypto.randomUUID();
  const row = sql.one<{ seq: number }>(
    "INSERT INTO outbox (message_id, entry, published_at, due_at) VALUES (?, ?, ?, ?) RETURNING seq",
    messageId,
    JSON.stringify(entry),
    now,
    now,
  );
  const seq = row!.seq;
  if (!dedup) return { messageId };
  sql.run(
    "INSERT OR REPLACE INTO dedup (scope, dedup_id, message_id, seq, expires_at) VALUES (?, ?, ?, ?, ?)",
    dedup.scope,
    dedup.id,
    messageId,
    seq,
    now + DEDUP_WINDOW_MS,
  );
  return { messageId, sequenceNumber: sequenceNumber(seq) };
}

/**
 * A message for one subscription only, chosen now: the SubscriptionConfirmation a pending HTTP(S)
 * subscription is sent, through the same durable, retried path as publishes.
 */
export function enqueueFor(sql: Sql, subscriptionId: string, entry: PublishEntry, now: number): void {
  const remaining: Remaining = { [subscriptionId]: { attempts: 0, dueAt: now } };
  sql.run(
    "INSERT INTO outbox (message_id, entry, published_at, remaining, due_at) VALUES (?, ?, ?, ?, ?)",
    crypto.randomUUID(),
    JSON.stringify(entry),
    now,
    JSON.stringify(remaining),
    now,
  );
}

/** Rows due for delivery, oldest first. */
export function dueRows(sql: Sql, now: number, limit: number): OutboxRow[] {
  return sql
    .all<{ seq: number; message_id: string; entry: string; published_at: number; remaining: string | null }>(
      "SELECT seq, message_id, entry, published_at, remaining FROM outbox WHERE due_at <= ? ORDER BY seq LIMIT ?",
      now,
      limit,
    )
    .map((r) => ({
      seq: r.seq,
      messageId: r.message_id,
      entry: JSON.parse(r.entry) as PublishEntry,
      publishedAt: r.published_at,
      remaining: r.remaining === null ? undefined : (JSON.parse(r.remaining) as Remaining),
    }));
}

/**
 * Changes what a row still owes, read and written in one synchronous step (a round and the
 * HTTP deliveries it started settle the same rows at different times). `picked` stands for a
 * row whose subscriptions were picked this round and not yet written. A row owing nothing goes.
 */
export function updateRow(sql: Sql, seq: number, picked: Remaining | undefined, change: (remaining: Remaining) => void): void {
  const row = sql.one<{ remaining: string | null }>("SELECT remaining FROM outbox WHERE seq = ?", seq);
  if (!row) return;
  const remaining: Remaining = row.remaining === null ? structuredClone(picked ?? {}) : (JSON.parse(row.remaining) as Remaining);
  change(remaining);
  const owed = Object.values(remaining);
  if (owed.length === 0) sql.run("DELETE FROM outbox WHERE seq = ?", seq);
  else
    sql.run(
      "UPDATE outbox SET remaining = ?, due_at = ? WHERE seq = ?",
      JSON.stringify(remaining),
      Math.min(...owed.map((o) => o.dueAt)),
      seq,
    );
}

/** When the next row is due, if any. */
export function nextDue(sql: Sql): number | undefined {
  return sql.one<{ due: number | null }>("SELECT min(due_at) AS due FROM outbox")?.due ?? undefined;
}

export function sweepDedup(sql: Sql, now: number): void {
  sql.run("DELETE FROM dedup WHERE expires_at <= ?", now);
}
