/**
 * One round of the fan-out, run by the topic's alarm: the due outbox rows, each matched once
 * against the subscriptions made before it (confirmed ones whose filter policy accepts it), then
 * delivered per subscription. Queues: every queue in parallel, each queue's messages in publish
 * order in batches of ten, awaited. HTTP(S) endpoints: one POST per message, not awaited by the
 * round (an endpoint that does not answer delays nothing else); each settles its own delivery
 * when it ends, and a lease on it makes a later round try again if the object went away first.
 * A row is deleted once nothing is owed on it; what a transient failure interrupted stays owed,
 * with its own attempt count and due time.
 */
import type { MessageAttributeMap, StringMap } from "../../sdk/protocol/index.js";
import type { Sql } from "../sql.js";
import { messageFor, notificationEnvelope, unsubscribeUrl } from "./envelope.js";
import { dueRows, sequenceNumber, updateRow, type OutboxRow, type Remaining } from "./outbox.js";
import type { FilterableMessage, HttpPostResult, TopicPorts } from "./ports.js";
import { deliverToQueue, stableSendId, type QueueDelivery, type QueueSink } from "./queue-delivery.js";
import { filterScope } from "./subscription-attributes.js";
import { recordFailure, type SubscriptionRow } from "./subscriptions.js";
import { topicArnOf } from "./topic-attributes.js";
import type { PublishAttribute, TopicConfig } from "./types.js";

/** Rows one round takes on; a longer outbox is worked through by the next rounds at once. */
export const ROUND_ROWS = 500;
/** Pause before a queue delivery's next try after a transient failure, doubling to a minute. */
const RETRY_BASE_MS = 1000;
const RETRY_MAX_MS = 60_000;
/** Queues delivered to at once: enough to hide each call's latency, few enough not to swamp the isolate. */
const PARALLEL_QUEUES = 32;
/** An HTTP(S) delivery under way is tried again after this if it never settles (its 15 s timeout, and some). */
const HTTP_LEASE_MS = 30_000;

export interface FanoutDeps {
  sql: Sql;
  config: TopicConfig;
  subscriptions: SubscriptionRow[];
  ports: TopicPorts;
  queueSink(queueArn: string): QueueSink;
  now: number;
  /** Where a refused delivery is told to the operator (the Worker's log). */
  log(line: Record<string, unknown>): void;
  /** HTTP(S) deliveries started this round, for the object to keep track of (and tests to await). */
  started(delivery: Promise<void>): void;
  /** An HTTP(S) delivery settled and may have left a retry due: the alarm is set again. */
  wake(): void;
}

/** Deliveries under way in this isolate (`<seq>/<subscription id>`): a round does not start them twice. */
const httpInFlight = new Set<string>();

/** Answers whether rows remain that are due now (another round should run at once). */
export async function fanoutRound(deps: FanoutDeps): Promise<boolean> {
  const { sql, config, now } = deps;
  const rows = dueRows(sql, now, ROUND_ROWS);
  if (rows.length === 0) return false;
  const topicArn = topicArnOf(config);
  const byId = new Map(deps.subscriptions.map((s) => [s.id, s]));
  const matcher = matchers(deps);

  // What each row owes; picked once, at a row's first round, and written when the row settles.
  const picked = new Map<number, Remaining | undefined>();
  const owed = new Map<number, Remaining>();
  for (const row of rows) {
    let remaining = row.remaining;
    if (!remaining) {
      remaining = {};
      for (const s of deps.subscriptions) {
        if (s.confirmed && s.sinceSeq < row.seq && matcher(s)(filterable(row))) remaining[s.id] = { attempts: 0, dueAt: now };
      }
      picked.set(row.seq, remaining);
    }
    owed.set(row.seq, remaining);
  }

  /** Per row: subscriptions done with (delivered, refused, gone), and queue deliveries to retry. */
  const done = new Map<number, Set<string>>(rows.map((r) => [r.seq, new Set<string>()]));
  const retry = new Map<number, Set<string>>(rows.map((r) => [r.seq, new Set<string>()]));
  const leased = new Map<number, Set<string>>(rows.map((r) => [r.seq, new Set<string>()]));
  const perQueue = new Map<string, OutboxRow[]>();
  const signer = envelopeSigner(deps, topicArn);

  for (const row of rows) {
    for (const [id, o] of Object.entries(owed.get(row.seq)!)) {
      const subscription = byId.get(id);
      if (!subscription) {
        done.get(row.seq)!.add(id);
        continue;
      }
      if (o.dueAt > now || httpInFlight.has(`${row.seq}/${id}`)) continue;
      if (subscription.protocol === "http" || subscription.protocol === "https") {
        leased.get(row.seq)!.add(id);
        startHttp(deps, row, subscription, o.attempts, picked.get(row.seq), signer);
      } else if (subscription.protocol === "sqs") {
        const list = perQueue.get(id) ?? [];
        list.push(row);
        perQueue.set(id, list);
      } else {
        // Email, SMS, Lambda, Firehose, applications: accepted, never delivered.
        done.get(row.seq)!.add(id);
      }
    }
  }

  const spread = await spreadCounts(deps, byId, perQueue, owed, picked);
  await inParallel([...perQueue], PARALLEL_QUEUES, async ([id, subRows]) => {
    const subscription = byId.get(id)!;
    const sink = deps.queueSink(subscription.endpoint);
    if (!spread.has(id)) {
      // The queue's count could not be read: nothing is tried, all waits for the retry.
      for (const row of subRows) retry.get(row.seq)!.add(id);
      return;
    }
    const counts = subRows.map((row) => owed.get(row.seq)![id]!.partitions!);
    const deliveries: QueueDelivery[] = [];
    for (const [i, row] of subRows.entries()) deliveries.push(await queueDelivery(row, subscription, deps, topicArn, signer, counts[i]!));
    const report = await deliverToQueue(sink, subscription.endpoint, topicArn, config.accountId, deliveries);
    for (const seq of report.delivered) done.get(seq)!.add(id);
    for (const { seq } of report.refused) done.get(seq)!.add(id);
    for (const seq of report.retry) retry.get(seq)!.add(id);
    if (report.refused.length > 0) {
      refused(deps, topicArn, id, report.refused[0]!.reason, report.refused.length);
      const bySeq = new Map(subRows.map((r) => [r.seq, r]));
      await deadLetter(deps, subscription, report.refused.map((r) => bySeq.get(r.seq)!), signer);
    }
  });

  for (const row of rows) {
    updateRow(sql, row.seq, picked.get(row.seq), (remaining) => {
      for (const id of done.get(row.seq)!) delete remaining[id];
      for (const id of retry.get(row.seq)!) {
        const o = remaining[id];
        if (o) (o.attempts += 1), (o.dueAt = now + Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (o.attempts - 1)));
      }
      for (const id of leased.get(row.seq)!) if (remaining[id] && httpInFlight.has(`${row.seq}/${id}`)) remaining[id]!.dueAt = now + HTTP_LEASE_MS;
    });
  }
  return rows.length === ROUND_ROWS;
}

/**
 * Gives every queue delivery of the round the partition count it is spread by: the one stored
 * with what its row owes, else the queue's count now, stored (one write per row) before the first
 * try, so a retry after the count grew, even one after a crash mid-try, goes where the first try
 * went. Answers the subscriptions whose deliveries all have their count.
 */
async function spreadCounts(
  deps: FanoutDeps,
  byId: Map<string, SubscriptionRow>,
  perQueue: Map<string, OutboxRow[]>,
  owed: Map<number, Remaining>,
  picked: Map<number, Remaining | undefined>,
): Promise<Set<string>> {
  const ready = new Set<string>();
  const learned = new Map<string, number>();
  await inParallel([...perQueue], PARALLEL_QUEUES, async ([id, rows]) => {
    if (rows.every((row) => owed.get(row.seq)![id]!.partitions !== undefined)) return void ready.add(id);
    try {
      learned.set(id, await deps.queueSink(byId.get(id)!.endpoint).partitions());
      ready.add(id);
    } catch {
      // Unknown for now: the subscription's deliveries wait for the retry.
    }
  });
  const changed = new Map<number, [string, number][]>();
  for (const [id, rows] of perQueue) {
    const partitions = learned.get(id);
    if (partitions === undefined) continue;
    for (const row of rows) {
      const o = owed.get(row.seq)![id]!;
      if (o.partitions !== undefined) continue;
      o.partitions = partitions;
      changed.set(row.seq, [...(changed.get(row.seq) ?? []), [id, partitions]]);
    }
  }
  for (const [seq, counts] of changed) {
    updateRow(deps.sql, seq, picked.get(seq), (remaining) => {
      for (const [id, partitions] of counts) if (remaining[id] && remaining[id].partitions === undefined) remaining[id].partitions = partitions;
    });
  }
  return ready;
}

function refused(deps: FanoutDeps, topicArn: string, id: string, reason: string, count: number): void {
  recordFailure(deps.sql, id, reason, count);
  deps.log({ level: "warn", event: "topic-delivery-refused", topic: topicArn, subscription: `${topicArn}:${id}`, count, reason });
}

/** One POST, settled on its own: delivered or refused for good is done, a retryable failure waits its DeliveryPolicy's delay. */
function startHttp(
  deps: FanoutDeps,
  row: OutboxRow,
  subscription: SubscriptionRow,
  attempts: number,
  picked: Remaining | undefined,
  signer: Signer,
): void {
  const key = `${row.seq}/${subscription.id}`;
  httpInFlight.add(key);
  const topicArn = topicArnOf(deps.config);
  const subscriptionArn = `${topicArn}:${subscription.id}`;
  const delivery = (async () => {
    let result: HttpPostResult;
    try {
      result = await deps.ports.postHttp(await httpPost(deps, row, subscription, subscriptionArn, signer));
    } catch (error) {
      result = { ok: false, retryable: true, error: error instanceof Error ? error.message : String(error) };
    } finally {
      httpInFlight.delete(key);
    }
    const delays = deps.ports.httpRetryDelays(deps.config.attributes.DeliveryPolicy, subscription.attributes.DeliveryPolicy);
    const giveUp = !result.ok && (!result.retryable || attempts >= delays.length);
    updateRow(deps.sql, row.seq, picked, (remaining) => {
      if (result.ok || giveUp) delete remaining[subscription.id];
      else remaining[subscription.id] = { attempts: attempts + 1, dueAt: Date.now() + delays[attempts]! };
    });
    if (giveUp) {
      const why = result.status !== undefined ? `the endpoint answered ${result.status}` : (result.error ?? "no answer");
      refused(deps, topicArn, subscription.id, `${subscription.endpoint}: ${why}`, 1);
      if (row.entry.confirmationToken === undefined) await deadLetter(deps, subscription, [row], signer);
    }
    deps.wake();
  })();
  deps.started(delivery);
}

async function httpPost(deps: FanoutDeps, row: OutboxRow, subscription: SubscriptionRow, subscriptionArn: string, signer: Signer) {
  const topicArn = topicArnOf(deps.config);
  const base = { endpoint: subscription.endpoint, messageId: row.messageId, topicArn, subscriptionArn };
  if (row.entry.confirmationToken !== undefined) {
    const body = await deps.ports.confirmationBody(
      { topicArn, token: row.entry.confirmationToken, origin: row.entry.origin, messageId: row.messageId, timestamp: new Date(row.publishedAt) },
      signatureVersion(deps.config.attributes),
    );
    return { ...base, messageType: "SubscriptionConfirmation" as const, body };
  }
  const raw = subscription.attributes.RawMessageDelivery === "true";
  const message = messageFor(row.entry, subscription.protocol);
  const body = raw ? message : await envelope(row, subscription, deps.config, topicArn, message, signer);
  return { ...base, messageType: "Notification" as const, rawDelivery: raw, body };
}

/**
 * Messages a subscription could not be given, moved to the queue its RedrivePolicy names (whose
 * Policy must let the topic in, as for any delivery): SNS's envelope, in publish order. What the
 * dead-letter queue refuses too is counted on the subscription and dropped.
 */
async function deadLetter(deps: FanoutDeps, subscription: SubscriptionRow, rows: OutboxRow[], sign: Signer): Promise<void> {
  const redrive = subscription.attributes.RedrivePolicy;
  if (!redrive || rows.length === 0) return;
  const target = (JSON.parse(redrive) as { deadLetterTargetArn: string }).deadLetterTargetArn;
  const topicArn = topicArnOf(deps.config);
  const deliveries: QueueDelivery[] = [];
  for (const row of rows) {
    if (row.entry.confirmationToken !== undefined) continue;
    const message = messageFor(row.entry, subscription.protocol);
    deliveries.push({
      seq: row.seq,
      body: await envelope(row, subscription, deps.config, topicArn, message, sign),
      groupId: row.entry.groupId,
      dedupId: deps.config.fifo ? (row.entry.dedupId ?? row.entry.contentHash) : undefined,
      sendId: await stableSendId(row.messageId, `${subscription.id}/dead-letter`),
      partitions: 1,
    });
  }
  let report;
  try {
    // Spread by the count now: a dead letter is tried once, never retried.
    const sink = deps.queueSink(target);
    const partitions = await sink.partitions();
    for (const d of deliveries) d.partitions = partitions;
    report = await deliverToQueue(sink, target, topicArn, deps.config.accountId, deliveries);
  } catch (error) {
    report = { refused: [{ reason: error instanceof Error ? error.message : String(error) }], retry: [] };
  }
  const lost = report.refused.length + report.retry.length;
  if (lost > 0) refused(deps, topicArn, subscription.id, `dead-letter queue ${target}: ${report.refused[0]?.reason ?? "unavailable"}`, lost);
}

type Signer = (row: OutboxRow, message: string) => Promise<{ signature: string; signingCertUrl: string }>;

/** Signatures per (row, message text): every subscription of a protocol shares one. */
function envelopeSigner(deps: FanoutDeps, topicArn: string): Signer {
  const signatures = new Map<string, Promise<{ signature: string; signingCertUrl: string }>>();
  return (row, message) => {
    const key = `${row.seq}\n${message}`;
    let signed = signatures.get(key);
    if (!signed) {
      signed = deps.ports.sign(
        { Type: "Notification", MessageId: row.messageId, TopicArn: topicArn, Subject: row.entry.subject, Message: message, Timestamp: timestamp(row) },
        signatureVersion(deps.config.attributes),
        row.entry.origin,
      );
      signatures.set(key, signed);
    }
    return signed;
  };
}

function matchers(deps: FanoutDeps): (s: SubscriptionRow) => (m: FilterableMessage) => boolean {
  const compiled = new Map<string, (m: FilterableMessage) => boolean>();
  return (s) => {
    let m = compiled.get(s.id);
    if (!m) {
      m = s.attributes.FilterPolicy ? deps.ports.filterMatcher(s.attributes.FilterPolicy, filterScope(s.attributes)) : () => true;
      compiled.set(s.id, m);
    }
    return m;
  };
}

function timestamp(row: OutboxRow): string {
  return new Date(row.publishedAt).toISOString();
}

function signatureVersion(attributes: StringMap): "1" | "2" {
  return attributes.SignatureVersion === "2" ? "2" : "1";
}

async function envelope(row: OutboxRow, subscription: SubscriptionRow, config: TopicConfig, topicArn: string, message: string, sign: Signer): Promise<string> {
  const { signature, signingCertUrl } = await sign(row, message);
  return notificationEnvelope({
    messageId: row.messageId,
    sequenceNumber: config.fifo ? sequenceNumber(row.seq) : undefined,
    topicArn,
    subject: row.entry.subject,
    message,
    timestamp: timestamp(row),
    signatureVersion: signatureVersion(config.attributes),
    signature,
    signingCertUrl,
    unsubscribeUrl: unsubscribeUrl(row.entry.origin, `${topicArn}:${subscription.id}`),
    attributes: row.entry.attributes,
  });
}

async function queueDelivery(
  row: OutboxRow,
  subscription: SubscriptionRow,
  deps: FanoutDeps,
  topicArn: string,
  sign: Signer,
  partitions: number,
): Promise<QueueDelivery> {
  const { config } = deps;
  const { entry } = row;
  const sendId = await stableSendId(row.messageId, subscription.id);
  if (entry.confirmationToken !== undefined) {
    // A queue of another account is asked to confirm, as an HTTP endpoint is: its owner reads the token.
    const body = await deps.ports.confirmationBody(
      { topicArn, token: entry.confirmationToken, origin: entry.origin, messageId: row.messageId, timestamp: new Date(row.publishedAt) },
      signatureVersion(config.attributes),
    );
    const fifo = subscription.endpoint.endsWith(".fifo");
    return { seq: row.seq, body, sendId, partitions, groupId: fifo ? "SubscriptionConfirmation" : undefined, dedupId: fifo ? row.messageId : undefined };
  }
  const message = messageFor(row.entry, "sqs");
  const raw = subscription.attributes.RawMessageDelivery === "true";
  const body = raw ? message : await envelope(row, subscription, config, topicArn, message, sign);
  return {
    seq: row.seq,
    body,
    attributes: raw ? queueAttributes(entry.attributes) : undefined,
    groupId: entry.groupId,
    dedupId: config.fifo ? (entry.dedupId ?? entry.contentHash) : undefined,
    sendId,
    partitions,
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
