/**
 * Soak: 20,000 messages through 4 producers and 4 consumers on a queue of 4 partitions
 * (durable-objects/partitions.md). None may be lost; one may come twice only after its
 * visibility timeout ran out, which the long timeout here rules out, so none may come twice.
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
