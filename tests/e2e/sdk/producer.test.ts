import { describe, expect, it } from "vitest";
import { ProducerBatchError } from "../../../sdk/errors.js";
import { Producer } from "../../../sdk/producer.js";
import { countingFetch, createFifoQueue, createQueue, sluice } from "./sdk-helpers.js";

const sqs = sluice();

async function drain(queueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const { messages } = await sqs.receiveMessage({ queueUrl, maxNumberOfMessages: 10 });
    if (messages.length === 0) return bodies;
    bodies.push(...messages.map((m) => m.body));
    await sqs.deleteMessageBatch({ queueUrl, entries: messages.map((m, i) => ({ id: `${i}`, receiptHandle: m.receiptHandle })) });
  }
}

describe("Producer", () => {
  it("sends 25 messages in 3 SendMessageBatch calls and returns them in order", async () => {
    const queueUrl = await createQueue(sqs, "sdk-producer");
    const counting = countingFetch();
    const producer = new Producer({ client: sluice({ fetch: counting.fetch }), queueUrl });
    const bodies = Array.from({ length: 25 }, (_, i) => `message ${i}`);
    const results = await producer.send(bodies);
    expect(counting.calls.get("SendMessageBatch")).toBe(3);
    expect(counting.calls.size).toBe(1);
    expect(results.map((r) => r.id)).toEqual(bodies.map((_, i) => String(i)));
    expect(new Set(results.map((r) => r.messageId)).size).toBe(25);
    expect((await drain(queueUrl)).sort()).toEqual([...bodies].sort());
  });

  it("cuts batches at the 1 MiB batch payload limit", async () => {
    const queueUrl = await createQueue(sqs, "sdk-producer-size");
    const counting = countingFetch();
    const producer = new Producer({ client: sluice({ fetch: counting.fetch }), queueUrl });
    const big = "x".repeat(400 * 1024);
    await producer.send([big, big, big, "small"]);
    // 400 KiB + 400 KiB fit; the third would pass 1 MiB, so it starts batch two with "small".
    expect(counting.calls.get("SendMessageBatch")).toBe(2);
  });

  it("reports partial failures as one ProducerBatchError after trying every batch", async () => {
    const queueUrl = await createQueue(sqs, "sdk-producer-fail", { MaximumMessageSize: "1024" });
    const counting = countingFetch();
    const producer = new Producer({ client: sluice({ fetch: counting.fetch }), queueUrl });
    const messages = Array.from({ length: 12 }, (_, i) => ({ id: `m${i}`, body: `ok ${i}` }));
    messages[3] = { id: "m3", body: "x".repeat(2_000) };
    messages[11] = { id: "m11", body: "bad \uFFFF char" };

    const error = await producer.send(messages).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProducerBatchError);
    const batchError = error as ProducerBatchError<string>;
    expect(counting.calls.get("SendMessageBatch")).toBe(2);
    expect(batchError.failed).toEqual([
      expect.objectContaining({ id: "m3", code: "InvalidParameterValue", senderFault: true, body: messages[3]!.body }),
      expect.objectContaining({ id: "m11", code: "InvalidMessageContents", senderFault: true }),
    ]);
    expect(batchError.sent.map((r) => r.id)).toEqual(messages.map((m) => m.id).filter((id) => id !== "m3" && id !== "m11"));
    expect(batchError.message).toContain("2 of 12 messages failed");
    expect(await drain(queueUrl)).toHaveLength(10);
  });

  it("fails every entry of a batch whose whole call fails, and still tries the others", async () => {
    const counting = countingFetch();
    const queueUrl = "http://127.0.0.1/000000000000/no-such-queue";
    const producer = new Producer({ client: sluice({ fetch: counting.fetch }), queueUrl });
    const error = (await producer.send(Array.from({ length: 12 }, (_, i) => `${i}`)).catch((e: unknown) => e)) as ProducerBatchError;
    expect(error).toBeInstanceOf(ProducerBatchError);
    expect(counting.calls.get("SendMessageBatch")).toBe(2);
    expect(error.failed).toHaveLength(12);
    expect(error.failed[0]).toMatchObject({ id: "0", code: "QueueDoesNotExist", senderFault: true, body: "0" });
    expect(error.sent).toEqual([]);
  });

  it("serialises typed bodies and passes delays and attributes through", async () => {
    const queueUrl = await createQueue(sqs, "sdk-producer-typed");
    const producer = new Producer<{ orderId: number }>({ client: sqs, queueUrl });
    await producer.send({ body: { orderId: 7 }, attributes: { source: { dataType: "String", stringValue: "web" } } });
    await producer.send({ body: { orderId: 8 }, delaySeconds: 1 });
    const { messages } = await sqs.receiveMessage({ queueUrl, maxNumberOfMessages: 10, messageAttributeNames: ["All"] });
    expect(messages.map((m) => JSON.parse(m.body))).toEqual([{ orderId: 7 }]);
    expect(messages[0]!.attributes.source).toEqual({ dataType: "String", stringValue: "web" });
  });

  it("sends FIFO group and deduplication ids", async () => {
    const queueUrl = await createFifoQueue(sqs, "sdk-producer-fifo");
    const producer = new Producer({ client: sqs, queueUrl });
    const results = await producer.send([
      { body: "a", groupId: "g", deduplicationId: "d1" },
      { body: "b", groupId: "g", deduplicationId: "d2" },
      { body: "a again", groupId: "g", deduplicationId: "d1" },
    ]);
    expect(results[0]!.sequenceNumber).toBeTruthy();
    expect(results[2]!.messageId).toBe(results[0]!.messageId);
    expect(await drain(queueUrl)).toEqual(["a", "b"]);
  });
});
