import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
} from "@aws-sdk/client-sqs";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { awsClient } from "../clients.js";
import { createFifoQueue, ONE_OBJECT, overFifoLayouts, type FifoLayout } from "./fifo-helpers.js";

const sqs = awsClient();

async function visibleCount(QueueUrl: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }),
  );
  return Number(Attributes!.ApproximateNumberOfMessages);
}

// Recorded against AWS: PurgeQueue clears the deduplication window (every partition's).
function itForgetsIdsOnPurge(scope: "queue" | "messageGroup", layout: FifoLayout): void {
  it(`forgets the deduplication ids on PurgeQueue (DeduplicationScope ${scope})`, async () => {
    const QueueUrl = await createFifoQueue(sqs, { DeduplicationScope: scope }, "fifo", layout);
    const send = (body: string, group: string) =>
      sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: "d" }));
    const before = [await send("old-1", "g1"), await send("old-2", "g2")];
    await sqs.send(new PurgeQueueCommand({ QueueUrl }));
    const after = [await send("new-1", "g1"), await send("new-2", "g2")];
    expect(after.map((a) => a.MessageId)).not.toContain(before[0]!.MessageId);
    expect(after.map((a) => a.MessageId)).not.toContain(before[1]!.MessageId);
    const bodies: string[] = [];
    for (let i = 0; i < 3 && bodies.length < 2; i++) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
      bodies.push(...Messages.map((m) => m.Body!));
    }
    // Queue scope: "new-2" is a duplicate of "new-1" (same id, after the purge); per group, both are new.
    expect(bodies.sort()).toEqual(scope === "queue" ? ["new-1"] : ["new-1", "new-2"]);
  });
}

overFifoLayouts("FIFO deduplication", (layout) => {
  it("accepts a duplicate id within the window and returns the original MessageId and SequenceNumber", async () => {
    const QueueUrl = await createFifoQueue(sqs, {}, "fifo", layout);
    const send = (body: string) =>
      sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: "g", MessageDeduplicationId: "d1" }));
    const first = await send("one");
    const second = await send("one");
    expect(second.MessageId).toBe(first.MessageId);
    expect(second.SequenceNumber).toBe(first.SequenceNumber);
    expect(await visibleCount(QueueUrl)).toBe(1);
  });

  it("still deduplicates after the original was received and deleted", async () => {
    const QueueUrl = await createFifoQueue(sqs, {}, "fifo", layout);
    const params = { QueueUrl, MessageBody: "x", MessageGroupId: "g", MessageDeduplicationId: "once" };
    const first = await sqs.send(new SendMessageCommand(params));
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages[0]!.ReceiptHandle }));
    const again = await sqs.send(new SendMessageCommand(params));
    expect(again.MessageId).toBe(first.MessageId);
    expect(await visibleCount(QueueUrl)).toBe(0);
  });

  itForgetsIdsOnPurge("messageGroup", layout);

  it("scopes ids per message group when DeduplicationScope is messageGroup", async () => {
    const QueueUrl = await createFifoQueue(
      sqs,
      { DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId" },
      "fifo",
      layout,
    );
    const send = (group: string) =>
      sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "b", MessageGroupId: group, MessageDeduplicationId: "d" }));
    const a = await send("g1");
    const b = await send("g2");
    const c = await send("g1");
    expect(b.MessageId).not.toBe(a.MessageId);
    expect(c.MessageId).toBe(a.MessageId);
    expect(await visibleCount(QueueUrl)).toBe(2);
  });

  it("deduplicates within one batch and keeps the entries' order in a group", async () => {
    const QueueUrl = await createFifoQueue(sqs, {}, "fifo", layout);
    const { Successful = [] } = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: "a", MessageBody: "1", MessageGroupId: "g", MessageDeduplicationId: "d1" },
          { Id: "b", MessageBody: "2", MessageGroupId: "g", MessageDeduplicationId: "d2" },
          { Id: "c", MessageBody: "1", MessageGroupId: "g", MessageDeduplicationId: "d1" },
        ],
      }),
    );
    const byId = Object.fromEntries(Successful.map((s) => [s.Id, s]));
    expect(byId.c!.MessageId).toBe(byId.a!.MessageId);
    expect(BigInt(byId.a!.SequenceNumber!) < BigInt(byId.b!.SequenceNumber!)).toBe(true);
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(Messages.map((m) => m.Body)).toEqual(["1", "2"]);
  });
});

// Deduplication across message groups needs the queue in one object: a FIFO queue with
// queue-wide scope, or one outside high-throughput mode, is never partitioned.
describe("FIFO deduplication, queue-wide", () => {
  it("deduplicates by the body's SHA-256 when ContentBasedDeduplication is on", async () => {
    const QueueUrl = await createFifoQueue(sqs, { ContentBasedDeduplication: "true" });
    const a = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "same", MessageGroupId: "g1" }));
    const b = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "same", MessageGroupId: "g2" }));
    const c = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "other", MessageGroupId: "g1" }));
    expect(b.MessageId).toBe(a.MessageId);
    expect(c.MessageId).not.toBe(a.MessageId);
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["All"] }),
    );
    expect(Messages.map((m) => m.Body).sort()).toEqual(["other", "same"]);
    const same = Messages.find((m) => m.Body === "same")!;
    expect(same.Attributes?.MessageDeduplicationId).toBe(createHash("sha256").update("same").digest("hex"));
    // An explicit id overrides content-based deduplication.
    const d = await sqs.send(
      new SendMessageCommand({ QueueUrl, MessageBody: "same", MessageGroupId: "g1", MessageDeduplicationId: "x" }),
    );
    expect(d.MessageId).not.toBe(a.MessageId);
  });

  itForgetsIdsOnPurge("queue", ONE_OBJECT);

  // AWS keeps suppressing duplicates across the whole queue after a change from queue to
  // messageGroup scope: for the ids sent before the change and for ids first sent after it.
  it("keeps deduplicating queue-wide after DeduplicationScope changes to messageGroup", async () => {
    const QueueUrl = await createFifoQueue(sqs);
    const send = (body: string, group: string, id = "d") =>
      sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: id }));
    const original = await send("first", "g1");
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { DeduplicationScope: "messageGroup" } }));
    expect((await send("other group", "g2")).MessageId).toBe(original.MessageId);
    expect((await send("same group", "g1")).MessageId).toBe(original.MessageId);
    // An id first sent after the change is taken in every group too.
    const a = await send("e in g1", "g1", "e");
    const b = await send("e in g2", "g2", "e");
    expect(b.MessageId).toBe(a.MessageId);
    expect(await visibleCount(QueueUrl)).toBe(2);
  });

  it("keeps a messageGroup-scope record per group after DeduplicationScope changes to queue", async () => {
    const QueueUrl = await createFifoQueue(sqs, { DeduplicationScope: "messageGroup" });
    const send = (body: string, group: string) =>
      sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: "d" }));
    const original = await send("first", "g1");
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { DeduplicationScope: "queue" } }));
    expect((await send("same group", "g1")).MessageId).toBe(original.MessageId);
    const otherGroup = await send("other group", "g2");
    expect(otherGroup.MessageId).not.toBe(original.MessageId);
    // That send made a queue-scope record: the id is now taken in every group.
    expect((await send("third group", "g3")).MessageId).toBe(otherGroup.MessageId);
    expect(await visibleCount(QueueUrl)).toBe(2);
  });
});
