/**
 * Partitioned standard queues (durable-objects/partitions.md): the `sluice:partitions` tag, and
 * what a queue of several objects must still do as one queue. The behaviour suite runs with four
 * partitions too (tests/e2e/behaviour/*.test.ts); these are the cases only partitions have.
 */
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
  TagQueueCommand,
  UntagQueueCommand,
  type Message,
} from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient, uniqueName } from "../clients.js";
import { expectSqsError, messageCounts, sleep } from "./standard-helpers.js";

const sqs = awsClient();
const TAG = "sluice:partitions";

async function partitionedQueue(prefix: string, partitions: number, attributes?: Record<string, string>): Promise<string> {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: uniqueName(prefix), Attributes: attributes, tags: { [TAG]: String(partitions) } }),
  );
  return QueueUrl!;
}

/** The partition a receipt handle names: `k.` before the engine's handle for k >= 1, nothing for 0. */
const partitionOf = (message: Message) => Number(/^(\d+)\./.exec(message.ReceiptHandle!)?.[1] ?? 0);

async function sendMany(QueueUrl: string, bodies: string[]): Promise<void> {
  for (const MessageBody of bodies) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody }));
}

/** Receives (hidden for `visibility` seconds) until `count` messages came or a receive is empty `emptyTries` times. */
async function receiveAll(QueueUrl: string, count: number, visibility = 60, emptyTries = 3): Promise<Message[]> {
  const got: Message[] = [];
  let empties = 0;
  while (got.length < count && empties < emptyTries) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: visibility }),
    );
    if (Messages.length === 0) empties++;
    got.push(...Messages);
  }
  return got;
}

describe("the sluice:partitions tag", () => {
  it("refuses a value that is not 1 to 64, at CreateQueue and TagQueue", async () => {
    for (const value of ["0", "65", "abc", "2.5", ""]) {
      const error = await expectSqsError(
        sqs.send(new CreateQueueCommand({ QueueName: uniqueName("bad-partitions"), tags: { [TAG]: value } })),
        "InvalidParameterValue",
      );
      expect(error.message).toContain(TAG);
    }
    const QueueUrl = await partitionedQueue("tag-bad", 2);
    await expectSqsError(sqs.send(new TagQueueCommand({ QueueUrl, Tags: { [TAG]: "100" } })), "InvalidParameterValue");
  });

  it("refuses lowering or removing it, and keeps it listed as a tag", async () => {
    const QueueUrl = await partitionedQueue("lower", 4);
    const lowered = await expectSqsError(sqs.send(new TagQueueCommand({ QueueUrl, Tags: { [TAG]: "2" } })), "InvalidParameterValue");
    expect(lowered.message).toContain("cannot be lowered");
    await expectSqsError(sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: [TAG] })), "InvalidParameterValue");
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags).toEqual({ [TAG]: "4" });
    // The same count again is no change, and allowed.
    await sqs.send(new TagQueueCommand({ QueueUrl, Tags: { [TAG]: "4", team: "core" } }));
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags).toEqual({ [TAG]: "4", team: "core" });
  });

  it("is accepted on a FIFO queue, which stays one object and keeps its order", async () => {
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({
        QueueName: `${uniqueName("fifo-partitions")}.fifo`,
        Attributes: { FifoQueue: "true", ContentBasedDeduplication: "true" },
        tags: { [TAG]: "4" },
      }),
    );
    const bodies = Array.from({ length: 8 }, (_, i) => `m${i}`);
    for (const MessageBody of bodies) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody, MessageGroupId: "g" }));
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(Messages.map((m) => m.Body)).toEqual(bodies);
    expect(new Set(Messages.map(partitionOf))).toEqual(new Set([0]));
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags).toEqual({ [TAG]: "4" });
  });
});

describe("a queue of four partitions", () => {
  it("spreads sends over every partition, sums the counts, and deletes by the handle's partition", async () => {
    const QueueUrl = await partitionedQueue("spread", 4);
    const bodies = Array.from({ length: 24 }, (_, i) => `m${i}`);
    await sendMany(QueueUrl, bodies);
    expect(await messageCounts(sqs, QueueUrl)).toEqual({ visible: 24, notVisible: 0, delayed: 0 });

    const received = await receiveAll(QueueUrl, 24);
    expect(received.map((m) => m.Body).sort()).toEqual([...bodies].sort());
    expect(new Set(received.map(partitionOf))).toEqual(new Set([0, 1, 2, 3]));
    expect(await messageCounts(sqs, QueueUrl)).toEqual({ visible: 0, notVisible: 24, delayed: 0 });

    // One by one and in batches that mix partitions.
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: received[0]!.ReceiptHandle }));
    const rest = received.slice(1);
    for (let i = 0; i < rest.length; i += 10) {
      const Entries = rest.slice(i, i + 10).map((m, j) => ({ Id: `e${j}`, ReceiptHandle: m.ReceiptHandle }));
      const result = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries }));
      expect(result.Failed ?? []).toEqual([]);
      expect(result.Successful).toHaveLength(Entries.length);
    }
    expect(await messageCounts(sqs, QueueUrl)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
  });

  it("keeps a batch in one partition", async () => {
    const QueueUrl = await partitionedQueue("batch", 4);
    const Entries = Array.from({ length: 10 }, (_, i) => ({ Id: `b${i}`, MessageBody: `b${i}` }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
    const received = await receiveAll(QueueUrl, 10);
    expect(received).toHaveLength(10);
    expect(new Set(received.map(partitionOf)).size).toBe(1);
  });

  it("changes a message's visibility through its handle's partition, and refuses a handle naming a partition it lacks", async () => {
    const QueueUrl = await partitionedQueue("visibility", 4);
    await sendMany(QueueUrl, ["a", "b", "c", "d"]);
    const received = await receiveAll(QueueUrl, 4);
    const away = received.find((m) => partitionOf(m) > 0)!;
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: away.ReceiptHandle, VisibilityTimeout: 0 }));
    const again = await receiveAll(QueueUrl, 1);
    expect(again.map((m) => m.Body)).toEqual([away.Body]);

    const foreign = `9.${away.ReceiptHandle!.split(".")[1]}`;
    await expectSqsError(sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: foreign })), "ReceiptHandleIsInvalid");
  });

  it("purges every partition", async () => {
    const QueueUrl = await partitionedQueue("purge", 4);
    await sendMany(QueueUrl, Array.from({ length: 12 }, (_, i) => `p${i}`));
    await sqs.send(new PurgeQueueCommand({ QueueUrl }));
    expect(await messageCounts(sqs, QueueUrl)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
    expect(await receiveAll(QueueUrl, 1, 60, 4)).toEqual([]);
  });

  it("is listed once, and deleted as a whole", async () => {
    const prefix = uniqueName("listed");
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: prefix, tags: { [TAG]: "4" } }));
    expect((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }))).QueueUrls).toEqual([QueueUrl]);
    await sendMany(QueueUrl!, ["x", "y", "z", "w"]);
    await sqs.send(new DeleteQueueCommand({ QueueUrl }));
    await expectSqsError(sqs.send(new GetQueueUrlCommand({ QueueName: prefix })), "QueueDoesNotExist");
    await expectSqsError(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "late" })), "QueueDoesNotExist");
    await expectSqsError(sqs.send(new ReceiveMessageCommand({ QueueUrl })), "QueueDoesNotExist");
  });

  it("wakes a long poll whichever partition a message lands in", async () => {
    const QueueUrl = await partitionedQueue("long-poll", 4);
    const seen = new Set<number>();
    for (let round = 0; round < 6; round++) {
      const started = Date.now();
      const waiting = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10, VisibilityTimeout: 60 }));
      await sleep(300);
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `r${round}` }));
      const { Messages = [] } = await waiting;
      expect(Messages.map((m) => m.Body)).toEqual([`r${round}`]);
      // Woken by the send, not by the 10-second deadline.
      expect(Date.now() - started).toBeLessThan(5_000);
      seen.add(partitionOf(Messages[0]!));
    }
    expect(seen.size).toBeGreaterThan(1);
  });
});

describe("dead letters of a partitioned queue", () => {
  it("move from every partition to the dead-letter queue after maxReceiveCount", async () => {
    const { QueueUrl: dlqUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName("part-dlq") }));
    const dlqArn = `arn:aws:sqs:us-east-1:000000000000:${dlqUrl!.split("/").pop()}`;
    const QueueUrl = await partitionedQueue("part-src", 4, {
      VisibilityTimeout: "0",
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }),
    });
    const bodies = Array.from({ length: 8 }, (_, i) => `d${i}`);
    await sendMany(QueueUrl, bodies);
    // Each message is delivered once; a later receive on its partition moves it.
    const firstTime = await receiveAll(QueueUrl, 8, 0);
    expect(new Set(firstTime.map(partitionOf))).toEqual(new Set([0, 1, 2, 3]));
    expect(await receiveAll(QueueUrl, 1, 0, 4)).toEqual([]);
    const dead = await receiveAll(dlqUrl!, 8);
    expect(dead.map((m) => m.Body).sort()).toEqual(bodies);
  });
});

describe("a partitioned dead-letter queue", () => {
  it("gets a partitioned source's dead letters spread over its partitions, none lost", async () => {
    const dlqUrl = await partitionedQueue("pdlq", 4);
    const dlqArn = `arn:aws:sqs:us-east-1:000000000000:${dlqUrl.split("/").pop()}`;
    const QueueUrl = await partitionedQueue("psrc", 4, {
      VisibilityTimeout: "0",
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }),
    });
    const bodies = Array.from({ length: 60 }, (_, i) => `x${i}`);
    for (let i = 0; i < bodies.length; i += 10) {
      const Entries = bodies.slice(i, i + 10).map((MessageBody, j) => ({ Id: `e${j}`, MessageBody }));
      await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
    }
    // Deliver each once, then receive until all have moved.
    await receiveAll(QueueUrl, 60, 0);
    for (let i = 0; i < 30 && (await messageCounts(sqs, dlqUrl)).visible < 60; i++) await receiveAll(QueueUrl, 60, 0, 2);
    expect(await messageCounts(sqs, QueueUrl)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
    const dead = await receiveAll(dlqUrl, 61, 60, 4);
    expect(dead.map((m) => m.Body).sort()).toEqual([...bodies].sort());
    // Sixty letters by hash over four partitions: each gets some (all in one would be 4^-59 likely).
    expect(new Set(dead.map(partitionOf))).toEqual(new Set([0, 1, 2, 3]));
  });

  it("runs a move task as one task over its partitions, into a partitioned destination", async () => {
    const dlqUrl = await partitionedQueue("pmove", 4);
    const dlqArn = `arn:aws:sqs:us-east-1:000000000000:${dlqUrl.split("/").pop()}`;
    // A move task needs its source to be some queue's dead-letter queue.
    await partitionedQueue("pmove-src", 2, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 5 }) });
    const destinationUrl = await partitionedQueue("pmove-dst", 4);
    const destinationArn = `arn:aws:sqs:us-east-1:000000000000:${destinationUrl.split("/").pop()}`;
    const bodies = Array.from({ length: 40 }, (_, i) => `mv${i}`);
    await sendMany(dlqUrl, bodies);
    const { TaskHandle } = await sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: dlqArn, DestinationArn: destinationArn, MaxNumberOfMessagesPerSecond: 100 }),
    );
    let task = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 10 }))).Results!;
    for (let i = 0; i < 40 && task[0]!.Status === "RUNNING"; i++) {
      await sleep(250);
      task = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 10 }))).Results!;
    }
    // One task, as SQS shows it, whatever the partitions did.
    expect(task).toHaveLength(1);
    expect(task[0]).toMatchObject({
      Status: "COMPLETED",
      SourceArn: dlqArn,
      DestinationArn: destinationArn,
      ApproximateNumberOfMessagesMoved: 40,
      ApproximateNumberOfMessagesToMove: 40,
      MaxNumberOfMessagesPerSecond: 100,
    });
    expect(TaskHandle).toBeTruthy();
    expect(await messageCounts(sqs, dlqUrl)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
    const moved = await receiveAll(destinationUrl, 41, 60, 4);
    expect(moved.map((m) => m.Body).sort()).toEqual([...bodies].sort());
    expect(new Set(moved.map(partitionOf))).toEqual(new Set([0, 1, 2, 3]));
  });
});

describe("raising the partition count", () => {
  it("from 2 to 4 while producers send loses and duplicates nothing", async () => {
    const QueueUrl = await partitionedQueue("raise", 2, { VisibilityTimeout: "60" });
    let next = 0;
    let sending = true;
    const producer = async () => {
      while (sending) {
        const MessageBody = `m${next++}`;
        await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody }));
      }
    };
    const producers = [producer(), producer()];
    await sleep(400);
    await sqs.send(new TagQueueCommand({ QueueUrl, Tags: { [TAG]: "4" } }));
    await sleep(400);
    sending = false;
    await Promise.all(producers);
    const sent = next;
    expect(sent).toBeGreaterThan(4);

    expect(await messageCounts(sqs, QueueUrl)).toEqual({ visible: sent, notVisible: 0, delayed: 0 });
    const received = await receiveAll(QueueUrl, sent + 1, 60, 4);
    const bodies = received.map((m) => m.Body!);
    expect(bodies.length).toBe(sent);
    expect(new Set(bodies).size).toBe(sent);
    expect(new Set(received.map(partitionOf))).toEqual(new Set([0, 1, 2, 3]));
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags).toEqual({ [TAG]: "4" });
  });
});
