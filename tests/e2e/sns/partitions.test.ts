/**
 * Topic deliveries to partitioned queues (durable-objects/partitions.md) spread as sends do: a
 * standard queue's over all its partitions, a high-throughput FIFO queue's by message group,
 * each group in one partition and in publish order. Every copy arrives once.
 */
import { CreateTopicCommand, PublishBatchCommand, SubscribeCommand } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  type Message,
} from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient, uniqueName } from "../clients.js";
import { fnv1a } from "../../../durable-objects/queue/partition-routing.js";
import { snsClient, topicDeliveryPolicy } from "./sns-helpers.js";

const sns = snsClient();
const sqs = awsClient();
const TAG = "sluice:partitions";
const PARTITIONS = 4;

/** A queue of four partitions that lets the topic deliver, raw-subscribed to it. */
async function partitionedSubscriber(TopicArn: string, fifo: boolean): Promise<string> {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: uniqueName("sns-part") + (fifo ? ".fifo" : ""),
      Attributes: fifo ? { FifoQueue: "true", DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId" } : {},
      tags: { [TAG]: String(PARTITIONS) },
    }),
  );
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  const arn = Attributes!.QueueArn!;
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: topicDeliveryPolicy(arn, TopicArn) } }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: arn, Attributes: { RawMessageDelivery: "true" } }));
  return QueueUrl!;
}

const partitionOf = (message: Message) => Number(/^(\d+)\./.exec(message.ReceiptHandle!)?.[1] ?? 0);

/** Receives and deletes until `count` came and then three receives in a row were empty (a copy too many would show). */
async function drain(QueueUrl: string, count: number, deadlineMs = 30_000): Promise<Message[]> {
  const got: Message[] = [];
  const deadline = Date.now() + deadlineMs;
  for (let empty = 0; empty < 3 && Date.now() < deadline; ) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ["MessageGroupId"] }),
    );
    if (Messages.length === 0 && got.length >= count) empty++;
    got.push(...Messages);
    if (Messages.length > 0) {
      const Entries = Messages.map((m, j) => ({ Id: `d${j}`, ReceiptHandle: m.ReceiptHandle }));
      const { Failed = [] } = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries }));
      expect(Failed).toEqual([]);
    }
  }
  return got;
}

describe("topic deliveries to partitioned queues", () => {
  it("spread over a standard queue's partitions, each copy once", async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName("part-t") }));
    const QueueUrl = await partitionedSubscriber(TopicArn!, false);
    const bodies = Array.from({ length: 40 }, (_, i) => `m${i}`);
    for (let i = 0; i < bodies.length; i += 10) {
      const Entries = bodies.slice(i, i + 10).map((Message, j) => ({ Id: `e${j}`, Message }));
      const { Failed = [] } = await sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: Entries }));
      expect(Failed).toEqual([]);
    }
    const got = await drain(QueueUrl, bodies.length);
    expect(got.map((m) => m.Body).sort()).toEqual([...bodies].sort());
    const used = new Set(got.map(partitionOf));
    expect(used.size).toBeGreaterThan(1);
    expect([...used].every((k) => k >= 0 && k < PARTITIONS)).toBe(true);
  });

  it("go by message group to a high-throughput FIFO queue's partitions, in order per group", async () => {
    const { TopicArn } = await sns.send(
      new CreateTopicCommand({ Name: uniqueName("part-t") + ".fifo", Attributes: { FifoTopic: "true" } }),
    );
    const QueueUrl = await partitionedSubscriber(TopicArn!, true);
    const groups = Array.from({ length: 8 }, (_, g) => `g${g}`);
    const sent = new Map(groups.map((g) => [g, [] as string[]]));
    for (let round = 0; round < 5; round++) {
      const Entries = groups.map((g, j) => {
        const Message = `${g}-${round}`;
        sent.get(g)!.push(Message);
        return { Id: `e${j}`, Message, MessageGroupId: g, MessageDeduplicationId: Message };
      });
      const { Failed = [] } = await sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: Entries }));
      expect(Failed).toEqual([]);
    }
    const got = await drain(QueueUrl, 40);
    expect(got).toHaveLength(40);
    const received = new Map<string, string[]>();
    for (const m of got) {
      const g = m.Attributes!.MessageGroupId!;
      received.set(g, [...(received.get(g) ?? []), m.Body!]);
      // The group's partition, as the Worker's own sends place it.
      expect(partitionOf(m)).toBe(fnv1a(g) % PARTITIONS);
    }
    expect(received).toEqual(sent);
    expect(new Set(got.map(partitionOf)).size).toBeGreaterThan(1);
  });
});
