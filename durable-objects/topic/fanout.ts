/**
 * One round of the fan-out, run by the topic's alarm: the due outbox rows, each matched once
 * against the subscriptions made before it (confirmed ones whose filter policy accepts it), then
 * delivered per subscription — every queue in parallel, each queue's messages in publish order in
 * batches of ten. A row is deleted once each of its subscriptions has it or refused it for good;
 * what a transient failure interrupted stays, with what remains, for a later round.
 */
import type { MessageAttributeMap, StringMap } from "../../sdk/protocol/index.js";
import type { Sql } from "../sql.js";
import { messageFor, notificationEnvelope, unsubscribeUrl } from "./envelope.js";
import { dueRows, settle, type OutboxRow } from "./outbox.js";
import type { FilterableMessage, TopicPorts } from "./ports.js";
import { deliverToQueue, stableSendId, type QueueDelivery, type QueueSink } from "./queue-delivery.js";
import { filterScope } from "./subscription-attributes.js";
import { recordFailure, type SubscriptionRow } from "./subscriptions.js";
import { sequenceNumber } from "./outbox.js";
import { topicArnOf } from "./topic-attributes.js";
import type { PublishAttribute, TopicConfig } from "./types.js";

/** Rows one round takes on; a longer outbox is worked through by the next rounds at once. */
export const ROUND_ROWS = 500;
/** Pause before a row's next try after a transient failure, doubling to a minute. */
const RETRY_BASE_MS = 1000;
const RETRY_MAX_MS = 60_000;
/** Queues delivered to at once: enough to hide each call's latency, few enough not to swamp the isolate. */
const PARALLEL_QUEUES = 32;

export interface FanoutDeps {
  sql: Sql;
  config: TopicConfig;
  subscriptions: SubscriptionRow[];
  ports: TopicPorts;
  queueSink(queueArn: string): QueueSink;
  now: number;
  /** Where a refused delivery is told to the operator (the Worker's log). */
  log(line: Record<string, unknown>): void;
}

/** Answers whether rows remain that are due now (another round should run at once). */
export async function fanoutRound(deps: FanoutDeps): Promise<boolean> {
  const { sql, config, now } = deps;
  const rows = dueRows(sql, now, ROUND_ROWS);
  if (rows.length === 0) return false;
  const topicArn = topicArnOf(config);
  const byId = new Map(deps.subscriptions.map((s) => [s.id, s]));
  const matchers = new Map<string, (m: FilterableMessage) => boolean>();
  const matcher = (s: SubscriptionRow) => {
    let m = matchers.get(s.id);
    if (!m) {
      m = s.attributes.FilterPolicy ? deps.ports.filterMatcher(s.attributes.FilterPolicy, filterScope(s.attributes)) : () => true;
      matchers.set(s.id, m);
    }
    return m;
  };

  // Which subscriptions each row still goes to; picked once, at a row's first round.
  const targets = new Map<number, Set<string>>();
  for (const row of rows) {
    const ids =
      row.remaining ??
      deps.subscriptions.filter((s) => s.confirmed && s.sinceSeq < row.seq && matcher(s)(filterable(row))).map((s) => s.id);
    // A subscription removed since is no longer owed anything.
    targets.set(row.seq, new Set(ids.filter((id) => byId.has(id))));
  }

  const perSubscription = new Map<string, OutboxRow[]>();
  for (const row of rows) for (const id of targets.get(row.seq)!) {
    const list = perSubscription.get(id) ?? [];
    list.push(row);
    perSubscription.set(id, list);
  }

  const signatures = new Map<string, Promise<{ signature: string; signingCertUrl: string }>>();
  const envelopeSigner = (row: OutboxRow, message: string) => {
    const key = `${row.seq}\n${message}`;
    let signed = signatures.get(key);
    if (!signed) {
      signed = deps.ports.sign(
        { Type: "Notification", MessageId: row.messageId, TopicArn: topicArn, Subject: row.entry.subject, Message: message, Timestamp: timestamp(row) },
        signatureVersion(config.attributes),
        row.entry.origin,
      );
      signatures.set(key, signed);
    }
    return signed;
  };

  await inParallel([...perSubscription], PARALLEL_QUEUES, async ([id, subRows]) => {
      const subscription = byId.get(id)!;
      const done = (seq: number) => targets.get(seq)!.delete(id);
      if (subscription.protocol !== "sqs") {
        // Only queues are delivered to here; other protocols are accepted and never delivered.
        subRows.forEach((r) => done(r.seq));
        return;
      }
      const deliveries: QueueDelivery[] = [];
      for (const row of subRows) {
        deliveries.push(await queueDelivery(row, subscription, config, topicArn, envelopeSigner));
      }
      const report = await deliverToQueue(deps.queueSink(subscription.endpoint), subscription.endpoint, topicArn, config.accountId, deliveries);
      for (const seq of report.delivered) done(seq);
      for (const { seq } of report.refused) done(seq);
      if (report.refused.length > 0) {
        const reason = report.refused[0]!.reason;
        recordFailure(sql, id, reason, report.refused.length);
        deps.log({ level: "warn", event: "topic-delivery-refused", topic: topicArn, subscription: `${topicArn}:${id}`, count: report.refused.length, reason });
      }
  });

  for (const row of rows) {
    const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** row.attempts);
    settle(sql, row, [...targets.get(row.seq)!], now + delay);
  }
  return rows.length === ROUND_ROWS;
}

function timestamp(row: OutboxRow): string {
  return new Date(row.publishedAt).toISOString();
}

function signatureVersion(attributes: StringMap): "1" | "2" {
  return attributes.SignatureVersion === "2" ? "2" : "1";
}

async function queueDelivery(
  row: OutboxRow,
  subscription: SubscriptionRow,
  config: TopicConfig,
  topicArn: string,
  sign: (row: OutboxRow, message: string) => Promise<{ signature: string; signingCertUrl: string }>,
): Promise<QueueDelivery> {
  const message = messageFor(row.entry, "sqs");
  const { entry } = row;
  const raw = subscription.attributes.RawMessageDelivery === "true";
  let body: string;
  if (raw) body = message;
  else {
    const { signature, signingCertUrl } = await sign(row, message);
    body = notificationEnvelope({
      messageId: row.messageId,
      sequenceNumber: config.fifo ? sequenceNumber(row.seq) : undefined,
      topicArn,
      subject: entry.subject,
      message,
      timestamp: timestamp(row),
      signatureVersion: signatureVersion(config.attributes),
      signature,
      signingCertUrl,
      unsubscribeUrl: unsubscribeUrl(entry.origin, `${topicArn}:${subscription.id}`),
      attributes: entry.attributes,
    });
  }
  const dedupId = config.fifo ? (entry.dedupId ?? entry.contentHash) : undefined;
  return {
    seq: row.seq,
    body,
    attributes: raw ? queueAttributes(entry.attributes) : undefined,
    groupId: entry.groupId,
    dedupId,
    sendId: await stableSendId(row.messageId, subscription.id),
  };
}

/** Raw delivery: the publish's attributes become the queue message's, String.Array kept as a String type. */
function queueAttributes(attributes: Record<string, PublishAttribute> | undefined): MessageAttributeMap | undefined {
  if (!attributes || Object.keys(attributes).length === 0) return undefined;
  const out: MessageAttributeMap = {};
  for (const [name, value] of Object.entries(attributes)) {
    out[name] =
      value.BinaryValue !== undefined
        ? { DataType: value.DataType, BinaryValue: fromBase64(value.BinaryValue) }
        : { DataType: value.DataType, StringValue: value.StringValue };
  }
  return out;
}

function filterable(row: OutboxRow): FilterableMessage {
  const attributes: FilterableMessage["attributes"] = {};
  for (const [name, value] of Object.entries(row.entry.attributes ?? {})) {
    attributes[name] =
      value.BinaryValue !== undefined
        ? { DataType: value.DataType, BinaryValue: fromBase64(value.BinaryValue) }
        : { DataType: value.DataType, StringValue: value.StringValue };
  }
  return { body: messageFor(row.entry, "sqs"), attributes };
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
