/**
 * Soak: 20,000 messages through 4 producers and 4 consumers on a queue of 4 partitions, standard
 * and high-throughput FIFO (durable-objects/partitions.md). None may be lost; one may come twice
 * only after its visibility timeout ran out, which the long timeout here rules out, so none may
 * come twice; a FIFO group's messages come in the order they were sent.
 */
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
} from "@aws-sdk/client-sqs";
import { expect, it } from "vitest";
import { awsClient, uniqueName } from "../clients.js";
import { messageCounts } from "./standard-helpers.js";

const MESSAGES = 20_000;
const PRODUCERS = 4;
const CONSUMERS = 4;
const BATCH = 10;

it(
  `carries ${MESSAGES} messages through ${PRODUCERS} producers and ${CONSUMERS} consumers on 4 partitions, none lost or doubled`,
  async () => {
    const sqs = awsClient();
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({
        QueueName: uniqueName("soak"),
        Attributes: { VisibilityTimeout: "600" },
        tags: { "sluice:partitions": "4" },
      }),
    );
    const perProducer = MESSAGES / PRODUCERS;
    let produced = 0;
    const producer = async (p: number) => {
      for (let i = 0; i < perProducer; i += BATCH) {
        const Entries = Array.from({ length: BATCH }, (_, j) => ({ Id: `e${j}`, MessageBody: `p${p}-${i + j}` }));
        const result = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
        expect(result.Failed ?? []).toEqual([]);
        produced += BATCH;
      }
    };
    const seen = new Map<string, number>();
    let producing = true;
    const consumer = async () => {
      for (;;) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: producing ? 1 : 0 }),
        );
        if (Messages.length === 0) {
          if (!producing) return;
          continue;
        }
        for (const m of Messages) seen.set(m.Body!, (seen.get(m.Body!) ?? 0) + 1);
        const Entries = Messages.map((m, j) => ({ Id: `d${j}`, ReceiptHandle: m.ReceiptHandle }));
        const deleted = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries }));
        expect(deleted.Failed ?? []).toEqual([]);
      }
    };
    // A consumer stops at its first empty receive after the producers finished: a receive looks at
    // every partition, and nothing arrives any more, so the queue is then empty but for messages
    // other consumers hold and delete.
    const consumers = Array.from({ length: CONSUMERS }, () => consumer());
    await Promise.all(Array.from({ length: PRODUCERS }, (_, p) => producer(p)));
    producing = false;
    await Promise.all(consumers);
    expect(produced).toBe(MESSAGES);
    const doubled = [...seen].filter(([, n]) => n > 1);
    expect(doubled).toEqual([]);
    expect(seen.size).toBe(MESSAGES);
    expect(await messageCounts(sqs, QueueUrl!)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
    sqs.destroy();
  },
  240_000,
);

/** Groups per producer on the FIFO queue: each producer sends its own groups, in order. */
const GROUPS_PER_PRODUCER = 25;

it(
  `carries ${MESSAGES} messages through ${PRODUCERS} producers and ${CONSUMERS} consumers on a 4-partition high-throughput FIFO queue, in order per group`,
  async () => {
    const sqs = awsClient();
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({
        QueueName: `${uniqueName("soak")}.fifo`,
        Attributes: {
          FifoQueue: "true",
          DeduplicationScope: "messageGroup",
          FifoThroughputLimit: "perMessageGroupId",
          VisibilityTimeout: "600",
        },
        tags: { "sluice:partitions": "4" },
      }),
    );
    const perProducer = MESSAGES / PRODUCERS;
    const producer = async (p: number) => {
      for (let i = 0; i < perProducer; i += BATCH) {
        // Message i of producer p goes to its group i mod GROUPS_PER_PRODUCER, numbered within it.
        const Entries = Array.from({ length: BATCH }, (_, j) => {
          const n = i + j;
          const group = `p${p}-g${n % GROUPS_PER_PRODUCER}`;
          return { Id: `e${j}`, MessageBody: `${group}:${Math.floor(n / GROUPS_PER_PRODUCER)}`, MessageGroupId: group, MessageDeduplicationId: `${p}-${n}` };
        });
        const result = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
        expect(result.Failed ?? []).toEqual([]);
      }
    };
    // Recorded as received, before the delete that lets the group's next messages out.
    const received: string[] = [];
    let producing = true;
    const consumer = async () => {
      for (;;) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: producing ? 1 : 0 }),
        );
        if (Messages.length === 0) {
          if (!producing) return;
          continue;
        }
        received.push(...Messages.map((m) => m.Body!));
        const Entries = Messages.map((m, j) => ({ Id: `d${j}`, ReceiptHandle: m.ReceiptHandle }));
        const deleted = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries }));
        expect(deleted.Failed ?? []).toEqual([]);
      }
    };
    const consumers = Array.from({ length: CONSUMERS }, () => consumer());
    await Promise.all(Array.from({ length: PRODUCERS }, (_, p) => producer(p)));
    producing = false;
    await Promise.all(consumers);

    expect(new Set(received).size).toBe(received.length);
    expect(received.length).toBe(MESSAGES);
    const next = new Map<string, number>();
    const outOfOrder: string[] = [];
    for (const body of received) {
      const [group, seq] = body.split(":");
      if (Number(seq) !== (next.get(group!) ?? 0)) outOfOrder.push(body);
      next.set(group!, Number(seq) + 1);
    }
    expect(outOfOrder).toEqual([]);
    expect(await messageCounts(sqs, QueueUrl!)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
    sqs.destroy();
  },
  240_000,
);
