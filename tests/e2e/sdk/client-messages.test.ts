import { describe, expect, it } from "vitest";
import { SluiceError } from "../../../sdk/errors.js";
import { createQueue, delay, sluice } from "./sdk-helpers.js";

const sqs = sluice();
const BYTES = Uint8Array.of(0, 1, 2, 250, 255);

describe("SluiceClient message actions", () => {
  it("sends and receives a message with string, number and binary attributes", async () => {
    const queueUrl = await createQueue(sqs, "sdk-send");
    const attributes = {
      kind: { dataType: "String", stringValue: "order" },
      amount: { dataType: "Number.int", stringValue: "42" },
      blob: { dataType: "Binary", binaryValue: BYTES },
    };
    const sent = await sqs.sendMessage({ queueUrl, body: "hello", attributes });
    expect(sent.md5OfBody).toBe("5d41402abc4b2a76b9719d911017c592");
    expect(sent.md5OfAttributes).toMatch(/^[0-9a-f]{32}$/);

    const { messages } = await sqs.receiveMessage({
      queueUrl,
      messageAttributeNames: ["All"],
      systemAttributeNames: ["All"],
      waitTimeSeconds: 1,
    });
    expect(messages).toHaveLength(1);
    const [m] = messages;
    expect(m).toMatchObject({ messageId: sent.messageId, body: "hello", md5OfAttributes: sent.md5OfAttributes });
    expect(m!.attributes).toEqual(attributes);
    expect(m!.systemAttributes).toMatchObject({ ApproximateReceiveCount: "1" });
    expect(Number(m!.systemAttributes.SentTimestamp)).toBeGreaterThan(0);
    await sqs.deleteMessage({ queueUrl, receiptHandle: m!.receiptHandle });
    await expect(sqs.receiveMessage({ queueUrl })).resolves.toEqual({ messages: [] });
  });

  it("returns no attributes unless asked", async () => {
    const queueUrl = await createQueue(sqs, "sdk-noattrs");
    await sqs.sendMessage({ queueUrl, body: "b", attributes: { a: { dataType: "String", stringValue: "1" } } });
    const { messages } = await sqs.receiveMessage({ queueUrl });
    expect(messages[0]).toMatchObject({ body: "b", attributes: {}, systemAttributes: {} });
  });

  it("delays a message by delaySeconds", async () => {
    const queueUrl = await createQueue(sqs, "sdk-delay");
    await sqs.sendMessage({ queueUrl, body: "later", delaySeconds: 1 });
    await expect(sqs.receiveMessage({ queueUrl })).resolves.toEqual({ messages: [] });
    const { messages } = await sqs.receiveMessage({ queueUrl, waitTimeSeconds: 3 });
    expect(messages.map((m) => m.body)).toEqual(["later"]);
  });

  it("sends, receives and deletes in batches, reporting failed entries", async () => {
    const queueUrl = await createQueue(sqs, "sdk-batch");
    const sent = await sqs.sendMessageBatch({
      queueUrl,
      entries: [
        { id: "a", body: "one" },
        { id: "b", body: "two", attributes: { n: { dataType: "Number", stringValue: "2" } } },
        { id: "bad", body: "\uFFFF" },
      ],
    });
    expect(sent.successful.map((s) => s.id)).toEqual(["a", "b"]);
    expect(sent.failed).toEqual([
      { id: "bad", code: "InvalidMessageContents", message: expect.any(String), senderFault: true },
    ]);

    const { messages } = await sqs.receiveMessage({ queueUrl, maxNumberOfMessages: 10, waitTimeSeconds: 1 });
    expect(messages.map((m) => m.body).sort()).toEqual(["one", "two"]);
    const deleted = await sqs.deleteMessageBatch({
      queueUrl,
      entries: [...messages.map((m, i) => ({ id: `d${i}`, receiptHandle: m.receiptHandle })), { id: "junk", receiptHandle: "junk" }],
    });
    expect(deleted.successful.map((s) => s.id).sort()).toEqual(["d0", "d1"]);
    expect(deleted.failed).toMatchObject([{ id: "junk", code: "ReceiptHandleIsInvalid", senderFault: true }]);
  });

  it("changes visibility one by one and in batches", async () => {
    const queueUrl = await createQueue(sqs, "sdk-visibility");
    await sqs.sendMessageBatch({ queueUrl, entries: [{ id: "1", body: "x" }, { id: "2", body: "y" }] });
    const { messages } = await sqs.receiveMessage({ queueUrl, maxNumberOfMessages: 2, visibilityTimeoutSeconds: 30 });
    expect(messages).toHaveLength(2);
    await expect(sqs.receiveMessage({ queueUrl })).resolves.toEqual({ messages: [] });

    await sqs.changeMessageVisibility({ queueUrl, receiptHandle: messages[0]!.receiptHandle, visibilityTimeoutSeconds: 0 });
    const again = await sqs.receiveMessage({ queueUrl, systemAttributeNames: ["ApproximateReceiveCount"] });
    expect(again.messages.map((m) => m.body)).toEqual([messages[0]!.body]);
    expect(again.messages[0]!.systemAttributes.ApproximateReceiveCount).toBe("2");

    const changed = await sqs.changeMessageVisibilityBatch({
      queueUrl,
      entries: [
        { id: "a", receiptHandle: again.messages[0]!.receiptHandle, visibilityTimeoutSeconds: 0 },
        { id: "b", receiptHandle: messages[1]!.receiptHandle, visibilityTimeoutSeconds: 0 },
      ],
    });
    expect(changed).toEqual({ successful: [{ id: "a" }, { id: "b" }], failed: [] });
    await delay(50);
    const both = await sqs.receiveMessage({ queueUrl, maxNumberOfMessages: 10 });
    expect(both.messages).toHaveLength(2);
  });

  it("rejects a garbage receipt handle with ReceiptHandleIsInvalid", async () => {
    const queueUrl = await createQueue(sqs, "sdk-handle");
    const error = await sqs.deleteMessage({ queueUrl, receiptHandle: "garbage" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SluiceError);
    expect(error).toMatchObject({ code: "ReceiptHandleIsInvalid" });
  });
});
