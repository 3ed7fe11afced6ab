/**
 * High-throughput FIFO queues over partitions (durable-objects/partitions.md): with
 * DeduplicationScope=messageGroup and FifoThroughputLimit=perMessageGroupId a FIFO queue's
 * groups are hashed to partitions; order and deduplication per group stay exact.
 */
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ListQueueTagsCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
  UntagQueueCommand,
  type Message,
} from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient, uniqueName } from "../clients.js";
import { fnv1a } from "../../../durable-objects/queue/partition-routing.js";
import { sqsError } from "./fifo-helpers.js";

const sqs = awsClient();
const TAG = "sluice:partitions";
const HIGH_THROUGHPUT = { FifoQueue: "true", DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId" };

async function highThroughputQueue(partitions: number, attributes: Record<string, string> = {}): Promise<string> {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${uniqueName("htfifo")}.fifo`,
      Attributes: { ...HIGH_THROUGHPUT, ...attributes },
      tags: { [TAG]: String(partitions) },
    }),
  );
  return QueueUrl!;
}

const partitionOf = (message: Message) => Number(/^(\d+)\./.exec(message.ReceiptHandle!)?.[1] ?? 0);

/** Receives and deletes until `count` came or three receives in a row were empty. */
async function drain(QueueUrl: string, count: number): Promise<Message[]> {
  const got: Message[] = [];
  for (let empty = 0; got.length < count && empty < 3; ) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["MessageGroupId"] }),
    );
    if (Messages.length === 0) empty++;
    got.push(...Messages);
    if (Messages.length > 0) {
      const Entries = Messages.map((m, j) => ({ Id: `d${j}`, ReceiptHandle: m.ReceiptHandle }));
      const { Failed = [] } = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries }));
      expect(Failed).toEqual([]);
    }
  }
  return got;
}

/** Bodies per group, in the order they were received. */
function byGroup(messages: Message[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const m of messages) {
    const group = m.Attributes!.MessageGroupId!;
    groups.set(group, [...(groups.get(group) ?? []), m.Body!]);
  }
  return groups;
}

describe("a high-throughput FIFO queue of four partitions", () => {
  it("spreads groups over partitions and keeps every group's order, single sends and batches alike", async () => {
    const QueueUrl = await highThroughputQueue(4);
    // Eleven groups: a count that is no multiple of the partitions, so no rotation could pass for hashing.
    const groups = Array.from({ length: 11 }, (_, g) => `g${g}`);
    const sent = new Map(groups.map((g) => [g, [] as string[]]));
    let n = 0;
    for (let round = 0; round < 4; round++) {
      // A batch that mixes every other group, then single sends to the rest.
      const Entries = groups
        .filter((_, g) => g % 2 === 0)
        .slice(0, 10)
        .map((g, j) => ({ Id: `e${j}`, MessageBody: `${g}-${round}-b`, MessageGroupId: g, MessageDeduplicationId: `d${n++}` }));
      const { Failed = [] } = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
      expect(Failed).toEqual([]);
      for (const e of Entries) sent.get(e.MessageGroupId)!.push(e.MessageBody);
      for (const g of groups.filter((_, i) => i % 2 === 1)) {
        const MessageBody = `${g}-${round}-s`;
        await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody, MessageGroupId: g, MessageDeduplicationId: `d${n++}` }));
        sent.get(g)!.push(MessageBody);
      }
    }
    const received = await drain(QueueUrl, n);
    expect(received).toHaveLength(n);
    expect(byGroup(received)).toEqual(sent);
    expect(new Set(received.map(partitionOf)).size).toBeGreaterThan(1);
    // A group lives in one partition.
    for (const group of groups) {
      expect(new Set(received.filter((m) => m.Attributes!.MessageGroupId === group).map(partitionOf)).size).toBe(1);
    }
  });

  it("numbers messages uniquely across partitions, each partition's ending in its index", async () => {
    const QueueUrl = await highThroughputQueue(4);
    const groups = Array.from({ length: 12 }, (_, g) => `n${g}`);
    for (let round = 0; round < 3; round++) {
      const Entries = groups.slice(0, 10).map((g, j) => ({ Id: `e${j}`, MessageBody: `${g}-${round}`, MessageGroupId: g, MessageDeduplicationId: `${g}-${round}` }));
      await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
      for (const g of groups.slice(10)) {
        await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `${g}-${round}`, MessageGroupId: g, MessageDeduplicationId: `${g}-${round}` }));
      }
    }
    const received: Message[] = [];
    for (let empty = 0; received.length < 36 && empty < 3; ) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["All"] }),
      );
      if (Messages.length === 0) empty++;
      received.push(...Messages);
      if (Messages.length > 0) {
        const Entries = Messages.map((m, j) => ({ Id: `d${j}`, ReceiptHandle: m.ReceiptHandle }));
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries }));
      }
    }
    expect(received).toHaveLength(36);
    const numbers = received.map((m) => BigInt(m.Attributes!.SequenceNumber!));
    expect(new Set(numbers).size).toBe(36);
    for (const m of received) expect(BigInt(m.Attributes!.SequenceNumber!) % 100n).toBe(BigInt(partitionOf(m)));
    // Within a group they still increase.
    for (const group of groups) {
      const mine = received.filter((m) => m.Attributes!.MessageGroupId === group).map((m) => BigInt(m.Attributes!.SequenceNumber!));
      expect(mine).toHaveLength(3);
      expect(mine[0]! < mine[1]! && mine[1]! < mine[2]!).toBe(true);
    }
  });

  it("takes a partitioned source's dead letters group by group, each group in its own partition, in order", async () => {
    const dlqUrl = await highThroughputQueue(4);
    const dlqArn = `arn:aws:sqs:us-east-1:000000000000:${dlqUrl.split("/").pop()}`;
    const QueueUrl = await highThroughputQueue(4, {
      VisibilityTimeout: "0",
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }),
    });
    const groups = Array.from({ length: 7 }, (_, g) => `dl${g}`);
    const sent = new Map(groups.map((g) => [g, [] as string[]]));
    for (let i = 0; i < 4; i++) {
      for (const g of groups) {
        const MessageBody = `${g}-${i}`;
        await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody, MessageGroupId: g, MessageDeduplicationId: MessageBody }));
        sent.get(g)!.push(MessageBody);
      }
    }
    const count = async (url: string) => {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }),
      );
      return Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible);
    };
    for (let i = 0; i < 80 && (await count(dlqUrl)) < 28; i++) {
      await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    }
    expect(await count(QueueUrl)).toBe(0);
    const dead = await drain(dlqUrl, 28);
    expect(byGroup(dead)).toEqual(sent);
    for (const group of groups) {
      const partitions = new Set(dead.filter((m) => m.Attributes!.MessageGroupId === group).map(partitionOf));
      expect(partitions.size).toBe(1);
      // The partition a send of that group goes to: the group stays in one place.
      await sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: "later", MessageGroupId: group, MessageDeduplicationId: `later-${group}` }));
      const [later] = await drain(dlqUrl, 1);
      expect(partitionOf(later!)).toBe([...partitions][0]);
    }
  });

  it("deduplicates per group: the same id in one group once, in two groups twice", async () => {
    const QueueUrl = await highThroughputQueue(4);
    for (const group of ["a", "a", "b", "c", "c"]) {
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: group, MessageGroupId: group, MessageDeduplicationId: "same" }));
    }
    const received = await drain(QueueUrl, 4);
    expect(received.map((m) => m.Body).sort()).toEqual(["a", "b", "c"]);
  });

  it("keeps the tag, refuses lowering the count or going back to queue-wide deduplication", async () => {
    const QueueUrl = await highThroughputQueue(4);
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags).toEqual({ [TAG]: "4" });
    const lowered = await sqsError(sqs.send(new TagQueueCommand({ QueueUrl, Tags: { [TAG]: "2" } })));
    expect(lowered.name).toBe("InvalidParameterValue");
    expect(lowered.message).toContain("cannot be lowered");
    expect((await sqsError(sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: [TAG] })))).name).toBe("InvalidParameterValue");
    const scope = await sqsError(
      sqs.send(
        new SetQueueAttributesCommand({ QueueUrl, Attributes: { DeduplicationScope: "queue", FifoThroughputLimit: "perQueue" } }),
      ),
    );
    expect(scope.name).toBe("InvalidParameterValue");
    // Other attribute changes reach every partition.
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { FifoThroughputLimit: "perQueue" } }));
  });

  it("stays one object with queue-wide deduplication, whatever the tag says", async () => {
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({
        QueueName: `${uniqueName("fifo-queue-scope")}.fifo`,
        Attributes: { FifoQueue: "true", DeduplicationScope: "queue" },
        tags: { [TAG]: "4" },
      }),
    );
    for (const group of ["a", "b", "c", "d", "e", "f"]) {
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: group, MessageGroupId: group, MessageDeduplicationId: group }));
    }
    // Queue-wide scope: one id across groups counts once.
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "dup", MessageGroupId: "z", MessageDeduplicationId: "a" }));
    const received = await drain(QueueUrl!, 7);
    expect(received.map((m) => m.Body).sort()).toEqual(["a", "b", "c", "d", "e", "f"]);
    expect(new Set(received.map(partitionOf))).toEqual(new Set([0]));
  });
});

/** A group whose partition at `from` partitions differs from its partition at `to` (it moves when raised). */
function movingGroup(prefix: string, from: number, to: number): string {
  for (let i = 0; ; i++) if (fnv1a(`${prefix}${i}`) % to !== fnv1a(`${prefix}${i}`) % from) return `${prefix}${i}`;
}

describe("raising a high-throughput FIFO queue's partition count", () => {
  it("from 2 to 4 under load loses and duplicates nothing and keeps every group's order", async () => {
    const QueueUrl = await highThroughputQueue(2, { VisibilityTimeout: "60" });
    const early = Array.from({ length: 10 }, (_, g) => `early${g}`);
    const late = Array.from({ length: 6 }, (_, g) => `late${g}`);
    const sent = new Map<string, string[]>();
    const received = new Map<string, { body: string; partition: number }[]>();
    let sending = true;
    let raised = false;
    const producer = async (groups: string[], onlyAfterRaise: boolean) => {
      for (let n = 0; sending; n++) {
        if (onlyAfterRaise && !raised) {
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        const g = groups[n % groups.length]!;
        const MessageBody = `${g}:${n}`;
        await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody, MessageGroupId: g, MessageDeduplicationId: MessageBody }));
        sent.set(g, [...(sent.get(g) ?? []), MessageBody]);
      }
    };
    let consuming = true;
    // Slow while the producers send, so groups have a backlog when the count is raised.
    const consumer = async () => {
      while (consuming) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl,
            MaxNumberOfMessages: sending ? 1 : 10,
            MessageSystemAttributeNames: ["MessageGroupId"],
          }),
        );
        // Recorded before the delete, so the group's next message (delivered after it) comes later.
        for (const m of Messages) {
          const g = m.Attributes!.MessageGroupId!;
          received.set(g, [...(received.get(g) ?? []), { body: m.Body!, partition: partitionOf(m) }]);
        }
        if (Messages.length > 0) {
          const Entries = Messages.map((m, j) => ({ Id: `d${j}`, ReceiptHandle: m.ReceiptHandle }));
          const { Failed = [] } = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries }));
          expect(Failed).toEqual([]);
        }
        await new Promise((r) => setTimeout(r, sending ? 40 : Messages.length > 0 ? 0 : 20));
      }
    };
    const producers = [
      producer(early.filter((_, i) => i % 2 === 0), false),
      producer(early.filter((_, i) => i % 2 === 1), false),
      producer(late, true),
    ];
    const consumers = [consumer(), consumer()];
    await new Promise((r) => setTimeout(r, 500));
    await sqs.send(new TagQueueCommand({ QueueUrl, Tags: { [TAG]: "4" } }));
    raised = true;
    await new Promise((r) => setTimeout(r, 1_000));
    const receivedBeforeStop = [...received.values()].reduce((sum, list) => sum + list.length, 0);
    sending = false;
    await Promise.all(producers);
    const total = [...sent.values()].reduce((sum, list) => sum + list.length, 0);
    const count = () => [...received.values()].reduce((sum, list) => sum + list.length, 0);
    for (let i = 0; i < 200 && count() < total; i++) await new Promise((r) => setTimeout(r, 50));
    consuming = false;
    await Promise.all(consumers);

    expect(total).toBeGreaterThan(20);
    expect(receivedBeforeStop).toBeGreaterThan(0);
    // Every group: exactly what was sent, in the order sent.
    expect(new Map([...received].map(([g, list]) => [g, list.map((m) => m.body)]))).toEqual(sent);
    for (const [g, list] of received) {
      // In one partition at a time: once a group moved it never shows in its old partition again.
      const changes = list.filter((m, i) => i > 0 && m.partition !== list[i - 1]!.partition).length;
      expect(changes, g).toBeLessThanOrEqual(1);
    }
    // Groups that first sent after the raise live in all four partitions.
    const partitions = new Set(late.flatMap((g) => (received.get(g) ?? []).map((m) => m.partition)));
    expect([...partitions].some((k) => k >= 2)).toBe(true);
  }, 30_000);

  it("moves an emptied group with its deduplication and increasing SequenceNumbers", async () => {
    const QueueUrl = await highThroughputQueue(2);
    const g = movingGroup("mover", 2, 4);
    const first = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "before", MessageGroupId: g, MessageDeduplicationId: "once" }));
    // Another group keeps a message in flight in the old partitions across the raise.
    const [before] = await drain(QueueUrl, 1);
    expect(before!.Body).toBe("before");
    await sqs.send(new TagQueueCommand({ QueueUrl, Tags: { [TAG]: "4" } }));
    // The same deduplication id within five minutes is still the first message.
    const again = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "before", MessageGroupId: g, MessageDeduplicationId: "once" }));
    expect(again.MessageId).toBe(first.MessageId);
    const next = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "after", MessageGroupId: g, MessageDeduplicationId: "twice" }));
    expect(BigInt(next.SequenceNumber!)).toBeGreaterThan(BigInt(first.SequenceNumber!));
    const [after, ...rest] = await drain(QueueUrl, 2);
    expect(after!.Body).toBe("after");
    expect(rest).toEqual([]);
    // The group left its partition at two for its partition at four.
    expect(partitionOf(after!)).toBe(fnv1a(g) % 4);
    expect(partitionOf(before!)).toBe(fnv1a(g) % 2);
  });

  it("keeps a group that still has messages where it is until it is empty", async () => {
    const QueueUrl = await highThroughputQueue(2, { VisibilityTimeout: "60" });
    const g = movingGroup("stayer", 2, 4);
    for (const body of ["a", "b"]) {
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: g, MessageDeduplicationId: body }));
    }
    await sqs.send(new TagQueueCommand({ QueueUrl, Tags: { [TAG]: "4" } }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "c", MessageGroupId: g, MessageDeduplicationId: "c" }));
    const got = await drain(QueueUrl, 3);
    expect(got.map((m) => m.Body)).toEqual(["a", "b", "c"]);
    expect(new Set(got.map(partitionOf))).toEqual(new Set([fnv1a(g) % 2]));
    // Empty now: its next message goes to its new home.
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "d", MessageGroupId: g, MessageDeduplicationId: "d" }));
    const [d] = await drain(QueueUrl, 1);
    expect(d!.Body).toBe("d");
    expect(partitionOf(d!)).toBe(fnv1a(g) % 4);
  });

  it("partitions a FIFO queue switched to high-throughput mode after its creation, its groups in order", async () => {
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({
        QueueName: `${uniqueName("switched")}.fifo`,
        Attributes: { FifoQueue: "true", DeduplicationScope: "messageGroup" },
        tags: { [TAG]: "4" },
      }),
    );
    const groups = Array.from({ length: 8 }, (_, g) => `sw${g}`);
    const send = (g: string, body: string) =>
      sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: g, MessageDeduplicationId: body }));
    for (const g of groups) await send(g, `${g}-0`);
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { FifoThroughputLimit: "perMessageGroupId" } }));
    // Still one object, also after a CreateQueue of it: only a TagQueue partitions it.
    await sqs.send(
      new CreateQueueCommand({
        QueueName: QueueUrl!.split("/").pop(),
        Attributes: HIGH_THROUGHPUT,
        tags: { [TAG]: "4" },
      }),
    );
    for (const g of groups) await send(g, `${g}-1`);
    await sqs.send(new TagQueueCommand({ QueueUrl, Tags: { [TAG]: "4" } }));
    for (const g of groups) await send(g, `${g}-2`);
    const got = await drain(QueueUrl!, 24);
    expect(byGroup(got)).toEqual(new Map(groups.map((g) => [g, [`${g}-0`, `${g}-1`, `${g}-2`]])));
    // Every group still had messages in partition 0 at the raise: all stayed there.
    expect(new Set(got.map(partitionOf))).toEqual(new Set([0]));
    // Emptied, the groups go to their homes.
    for (const g of groups) await send(g, `${g}-3`);
    const later = await drain(QueueUrl!, 8);
    expect(later).toHaveLength(8);
    for (const m of later) expect(partitionOf(m)).toBe(fnv1a(m.Attributes!.MessageGroupId!) % 4);
  });

  it("refuses partitions to a FIFO queue that has deduplicated queue-wide", async () => {
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: `${uniqueName("was-queue-wide")}.fifo`, Attributes: { FifoQueue: "true" } }),
    );
    await sqs.send(
      new SetQueueAttributesCommand({ QueueUrl, Attributes: { DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId" } }),
    );
    const refused = await sqsError(sqs.send(new TagQueueCommand({ QueueUrl, Tags: { [TAG]: "4" } })));
    expect(refused.name).toBe("InvalidParameterValue");
    expect(refused.message).toContain("deduplicated queue-wide");
  });
});
