import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
} from "@aws-sdk/client-sqs";
import { expect, it } from "vitest";
import { awsClient } from "../clients.js";
import { createFifoQueue, overFifoLayouts } from "./fifo-helpers.js";

const GROUPS = 50;
const PER_GROUP = 40;
const CONSUMERS = 4;

overFifoLayouts("FIFO concurrency", (layout) => {
  it(
    "lets 4 consumers drain 50 groups x 40 messages exactly once and in order per group",
    async () => {
      const sqs = awsClient();
      const QueueUrl = await createFifoQueue(sqs, { ContentBasedDeduplication: "true", VisibilityTimeout: "60" }, "fifo", layout);
      // Interleave groups so each batch carries several groups, and each group's order spans batches.
      const all = Array.from({ length: PER_GROUP }, (_, i) =>
        Array.from({ length: GROUPS }, (_, g) => ({ group: `g${g}`, body: `g${g}:${i}` })),
      ).flat();
      const batches = [];
      for (let i = 0; i < all.length; i += 10) batches.push(all.slice(i, i + 10));
      // Sequential sends: a group's order spans batches, so they must land in order.
      for (const batch of batches) {
        await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl,
            Entries: batch.map((m, i) => ({ Id: `e${i}`, MessageBody: m.body, MessageGroupId: m.group })),
          }),
        );
      }

      const seen = new Map<string, number[]>();
      let received = 0;
      const consumer = async () => {
        let empty = 0;
        while (empty < 3) {
          const { Messages = [] } = await sqs.send(
            new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
          );
          if (Messages.length === 0) {
            empty += 1;
            continue;
          }
          empty = 0;
          record(Messages);
          const result = await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl,
              Entries: Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
            }),
          );
          expect(result.Failed ?? []).toEqual([]);
        }
      };
      const record = (messages: Message[]) => {
        for (const m of messages) {
          const [group, index] = m.Body!.split(":") as [string, string];
          const list = seen.get(group) ?? [];
          list.push(Number(index));
          seen.set(group, list);
          received += 1;
        }
      };
      await Promise.all(Array.from({ length: CONSUMERS }, consumer));

      expect(received).toBe(GROUPS * PER_GROUP);
      expect(seen.size).toBe(GROUPS);
      for (const [, indexes] of seen) expect(indexes).toEqual(Array.from({ length: PER_GROUP }, (_, i) => i));
    },
    60_000,
  );
});
