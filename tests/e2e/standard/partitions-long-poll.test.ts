/**
 * Long polls on partitioned queues (durable-objects/partitions.md, "Long polls"): a poll parks one
 * socket, on partition 0, and is woken promptly by a message that lands in any partition (the
 * partition tells partition 0). Sends rotate over the partitions, so N rounds put one message in
 * each; each round's poll must answer within WAKE_LIMIT_MS of the send, far from its 10 s deadline.
 */
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, type Message } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient, uniqueName } from "../clients.js";
import { sleep } from "./standard-helpers.js";

const sqs = awsClient();
const TAG = "sluice:partitions";
/** Generous for a loaded machine; a poll not woken would take its whole 10 s. */
const WAKE_LIMIT_MS = 1_000;

const partitionOf = (message: Message) => Number(/^(\d+)\./.exec(message.ReceiptHandle!)?.[1] ?? 0);

describe("a long poll on a partitioned queue", () => {
  for (const partitions of [4, 16]) {
    it(`is woken promptly by a message in any of ${partitions} partitions`, async () => {
      const { QueueUrl } = await sqs.send(
        new CreateQueueCommand({ QueueName: uniqueName(`lp-${partitions}`), tags: { [TAG]: String(partitions) } }),
      );
      const seen = new Set<number>();
      const slow: string[] = [];
      for (let round = 0; round < partitions; round++) {
        const waiting = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10, VisibilityTimeout: 60 }));
        await sleep(150);
        const sent = Date.now();
        await sqs.send(new SendMessageCommand({ QueueUrl: QueueUrl!, MessageBody: `r${round}` }));
        const { Messages = [] } = await waiting;
        expect(Messages.map((m) => m.Body)).toEqual([`r${round}`]);
        const ms = Date.now() - sent;
        if (ms >= WAKE_LIMIT_MS) slow.push(`round ${round}: ${ms} ms`);
        seen.add(partitionOf(Messages[0]!));
      }
      expect(slow).toEqual([]);
      // The rotation put one message in each partition: every partition woke a poll.
      expect(seen.size).toBe(partitions);
    });
  }
});
