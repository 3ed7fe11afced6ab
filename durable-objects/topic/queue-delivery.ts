/**
 * Delivery of a topic's messages to one SQS subscription: the queue's Policy must let
 * `sns.amazonaws.com` send for this topic (as on AWS, same account included), then the messages
 * go in batches of ten, in publish order, each with a send id stable per (publish, subscription)
 * so the queue recognises a delivery repeated after a crash. A partitioned queue gets them spread
 * as sends are (deliveryPartition): each partition's part in order, the partitions in parallel.
 */
import { queueArnParts, SqsError, type MessageAttributeMap, type Outcome } from "../../sdk/protocol/index.js";
import type { NewMessage, QueueSummary, SentMessage } from "../queue/types.js";
import { prepareMessage } from "../../worker/message-input.js";
import { policyAllows } from "../../worker/auth/queue-policy.js";
import { fnv1a, groupPartition } from "../queue/partition-routing.js";

/** What delivery asks of a queue: its description (partition 0), its partition count, and sends to one partition. */
export interface QueueSink {
  describe(): Promise<Outcome<QueueSummary>>;
  /** 1 for a queue that is not partitioned (or unknown); it only grows. */
  partitions(): Promise<number>;
  send(partition: number, messages: NewMessage[], batch: boolean): Promise<Outcome<Outcome<SentMessage>[]>>;
}

/** One message for the queue, already in its final form. */
export interface QueueDelivery {
  seq: number;
  body: string;
  attributes?: MessageAttributeMap;
  groupId?: string;
  dedupId?: string;
  sendId: string;
  /**
   * The partition count the delivery is spread by: the one its first try used (stored with what
   * is owed), so a retry after the count grew reaches the partition that recognises its send id.
   */
  partitions: number;
}

/**
 * The partition a delivery goes to, from the delivery and the count alone: a grouped message (a
 * FIFO queue's, a fair queue's) by its group, as the Worker's sends and the engine's moves place
 * it (partition-routing.ts); any other by its send id, which spreads the deliveries as rotation
 * would and stays put on a retry. A high-throughput FIFO queue whose count was raised forwards a
 * group to its earlier partition itself (queue/group-homes.ts).
 */
export function deliveryPartition(d: Pick<QueueDelivery, "groupId" | "sendId" | "partitions">): number {
  if (d.partitions <= 1) return 0;
  return d.groupId !== undefined ? groupPartition(d.groupId, d.partitions) : fnv1a(d.sendId) % d.partitions;
}

export interface DeliveryReport {
  delivered: number[];
  /** Refused for good (a Policy, a missing queue, a message the queue does not take), with why. */
  refused: { seq: number; reason: string }[];
  /** Not attempted or interrupted by a transient failure: tried again later, in order. */
  retry: number[];
}

const BATCH = 10;

export async function deliverToQueue(
  sink: QueueSink,
  queueArn: string,
  topicArn: string,
  senderId: string,
  deliveries: QueueDelivery[],
): Promise<DeliveryReport> {
  const report: DeliveryReport = { delivered: [], refused: [], retry: [] };
  const refuseAll = (reason: string) => (report.refused = deliveries.map((d) => ({ seq: d.seq, reason })), report);
  if (!queueArnParts(queueArn)) return refuseAll(`${queueArn} is not a queue ARN`);
  let described: Outcome<QueueSummary>;
  try {
    described = await sink.describe();
  } catch {
    report.retry = deliveries.map((d) => d.seq);
    return report;
  }
  if (!described.ok) return refuseAll(`queue ${queueArn}: ${described.error.message}`);
  const queue = described.value;
  const allowed = policyAllows(queue.attributes.Policy, {
    service: "sns.amazonaws.com",
    action: "SendMessage",
    resource: queue.arn,
    sourceArn: topicArn,
  });
  if (!allowed) {
    return refuseAll(`the Policy of queue ${queueArn} does not allow sns.amazonaws.com to SendMessage for ${topicArn}`);
  }

  const ready: { seq: number; message: NewMessage }[] = [];
  const byIndex: QueueDelivery[] = [];
  for (const d of deliveries) {
    try {
      const message = prepareMessage(
        { MessageBody: d.body, MessageAttributes: d.attributes, MessageGroupId: d.groupId, MessageDeduplicationId: d.dedupId },
        senderId,
      );
      ready.push({ seq: d.seq, message: { ...message, sendId: d.sendId } });
      byIndex.push(d);
    } catch (error) {
      if (!(error instanceof SqsError)) throw error;
      report.refused.push({ seq: d.seq, reason: `queue ${queueArn} refuses the message: ${error.message}` });
    }
  }
  const parts = new Map<number, { seq: number; message: NewMessage }[]>();
  for (const [i, r] of ready.entries()) {
    const k = deliveryPartition(byIndex[i]!);
    let part = parts.get(k);
    if (!part) parts.set(k, (part = []));
    part.push(r);
  }
  await Promise.all([...parts].map(([k, part]) => sendPart(sink, k, part, queueArn, report)));
  // The parts settled in any order: the report is in publish order (dead letters go in it).
  report.refused.sort((a, b) => a.seq - b.seq);
  report.retry.sort((a, b) => a - b);
  return report;
}

/** One partition's part, in batches in publish order; a batch interrupted leaves it and the rest to retry. */
async function sendPart(
  sink: QueueSink,
  k: number,
  ready: { seq: number; message: NewMessage }[],
  queueArn: string,
  report: DeliveryReport,
): Promise<void> {
  for (let i = 0; i < ready.length; i += BATCH) {
    const batch = ready.slice(i, i + BATCH);
    let sent: Outcome<Outcome<SentMessage>[]>;
    try {
      sent = await sink.send(k, batch.map((b) => b.message), true);
    } catch {
      // Order is kept: what follows waits for this batch's retry.
      report.retry.push(...ready.slice(i).map((b) => b.seq));
      return;
    }
    if (!sent.ok) {
      const reason = `queue ${queueArn}: ${sent.error.message}`;
      report.refused.push(...batch.map((b) => ({ seq: b.seq, reason })));
      continue;
    }
    sent.value.forEach((result, j) => {
      const seq = batch[j]!.seq;
      if (result.ok) report.delivered.push(seq);
      else report.refused.push({ seq, reason: `queue ${queueArn}: ${result.error.message}` });
    });
  }
}

/** base64url of the first 96 bits of SHA-256(message id, subscription id): the same on every retry. */
export async function stableSendId(messageId: string, subscriptionId: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${messageId}/${subscriptionId}`));
  const bytes = new Uint8Array(digest).slice(0, 12);
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_");
}
