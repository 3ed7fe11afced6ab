import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient } from "../clients.js";
import { createFifoQueue, overFifoLayouts } from "./fifo-helpers.js";

const sqs = awsClient();

overFifoLayouts("FIFO ordering", (layout) => {
  it("delivers one group's messages in send order, across single sends and batches", async () => {
    const QueueUrl = await createFifoQueue(sqs, { ContentBasedDeduplication: "true" }, "fifo", layout);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "m0", MessageGroupId: "g" }));
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [1, 2, 3, 4].map((i) => ({ Id: `e${i}`, MessageBody: `m${i}`, MessageGroupId: "g" })),
      }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "m5", MessageGroupId: "g" }));
    const bodies: string[] = [];
    for (let i = 0; i < 6 && bodies.length < 6; i++) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 4 }));
      for (const m of Messages) {
        bodies.push(m.Body!);
        await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
      }
    }
    expect(bodies).toEqual(["m0", "m1", "m2", "m3", "m4", "m5"]);
  });

  it("returns SequenceNumbers that strictly increase and redelivers an expired message first", async () => {
    const QueueUrl = await createFifoQueue(sqs, { ContentBasedDeduplication: "true" }, "fifo", layout);
    const seqs: bigint[] = [];
    for (const body of ["a", "b", "c"]) {
      const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: "g" }));
      seqs.push(BigInt(sent.SequenceNumber!));
    }
    expect(seqs[0]! < seqs[1]! && seqs[1]! < seqs[2]!).toBe(true);

    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 1 }));
    expect(first.Messages?.map((m) => m.Body)).toEqual(["a"]);
    // While "a" is in flight nothing else of the group is delivered.
    const blocked = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(blocked.Messages).toBeUndefined();
    await new Promise((r) => setTimeout(r, 1_200));
    const again = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ["ApproximateReceiveCount", "SequenceNumber"],
      }),
    );
    expect(again.Messages?.map((m) => m.Body)).toEqual(["a", "b", "c"]);
    expect(again.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe("2");
    expect(again.Messages?.map((m) => BigInt(m.Attributes!.SequenceNumber!))).toEqual(seqs);
  });

  it("keeps a group blocked while a later message's visibility is extended", async () => {
    const QueueUrl = await createFifoQueue(sqs, { ContentBasedDeduplication: "true" }, "fifo", layout);
    for (const body of ["a", "b", "c"]) {
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: "g" }));
    }
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 2, VisibilityTimeout: 1 }),
    );
    expect(Messages.map((m) => m.Body)).toEqual(["a", "b"]);
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages[0]!.ReceiptHandle }));
    await sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: Messages[1]!.ReceiptHandle, VisibilityTimeout: 30 }),
    );
    await new Promise((r) => setTimeout(r, 1_200));
    // "b" is still in flight for 30 s, so "c" must wait even though "a" is gone and 1 s passed.
    const blocked = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(blocked.Messages).toBeUndefined();
    await sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: Messages[1]!.ReceiptHandle, VisibilityTimeout: 0 }),
    );
    const next = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(next.Messages?.map((m) => m.Body)).toEqual(["b", "c"]);
  });

  it("redelivers a message whose timeout ran out while a later one of its group is still in flight", async () => {
    // Recorded against AWS: the rule is per message, from the group's head.
    const QueueUrl = await createFifoQueue(sqs, { ContentBasedDeduplication: "true", VisibilityTimeout: "2" }, "fifo", layout);
    for (const body of ["foo", "bar", "baz"]) {
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: "g" }));
    }
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(Messages.map((m) => m.Body)).toEqual(["foo", "bar", "baz"]);
    await sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: Messages[1]!.ReceiptHandle, VisibilityTimeout: 10 }),
    );
    await new Promise((r) => setTimeout(r, 3_500));
    // foo's own timeout ran out and nothing ahead of it is in flight; baz waits behind bar.
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(again.Messages?.map((m) => m.Body)).toEqual(["foo"]);
    const behindBar = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(behindBar.Messages).toBeUndefined();
  });

  it("gives two concurrent consumers different groups", async () => {
    const QueueUrl = await createFifoQueue(sqs, { ContentBasedDeduplication: "true" }, "fifo", layout);
    for (const group of ["g1", "g2"]) {
      for (const i of [1, 2]) {
        await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `${group}-${i}`, MessageGroupId: group }));
      }
    }
    const attrs = { MessageSystemAttributeNames: ["MessageGroupId" as const] };
    const [a, b] = await Promise.all([
      sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1, ...attrs })),
      sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1, ...attrs })),
    ]);
    const groups = [a.Messages?.[0]?.Attributes?.MessageGroupId, b.Messages?.[0]?.Attributes?.MessageGroupId];
    expect(new Set(groups)).toEqual(new Set(["g1", "g2"]));
    expect([a.Messages?.[0]?.Body, b.Messages?.[0]?.Body].sort()).toEqual(["g1-1", "g2-1"]);
  });
});

// A receive answers from one partition (durable-objects/partitions.md, Routing), so on a
// partitioned queue it fills from the groups of that partition only. SQS answers as many
// messages of one group as it can and only may add other groups'; one group's order, which it
// promises, is tested above over N.
describe("FIFO ordering across groups (one object)", () => {
  it("fills a receive from one group first, then from the next", async () => {
    const QueueUrl = await createFifoQueue(sqs, { ContentBasedDeduplication: "true" });
    for (const group of ["g1", "g2"]) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: [1, 2, 3].map((i) => ({ Id: `e${i}`, MessageBody: `${group}-${i}`, MessageGroupId: group })),
        }),
      );
    }
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 4 }));
    expect(Messages.map((m) => m.Body)).toEqual(["g1-1", "g1-2", "g1-3", "g2-1"]);
  });
});
