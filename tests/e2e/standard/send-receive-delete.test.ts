/** The basic message cycle on a standard queue: SendMessage, ReceiveMessage, DeleteMessage. */
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient } from "../clients.js";
import { md5OfBody } from "./md5.js";
import { expectSqsError, messageCounts, newQueue } from "./standard-helpers.js";

const sqs = awsClient();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("sending, receiving and deleting", () => {
  it("answers a send with a MessageId and the body's MD5, and no attribute MD5s", async () => {
    const QueueUrl = await newQueue(sqs, "send");
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "hello" }));
    expect(sent.MessageId).toMatch(UUID);
    expect(sent.MD5OfMessageBody).toBe("5d41402abc4b2a76b9719d911017c592");
    expect(sent.MD5OfMessageAttributes).toBeUndefined();
    expect(sent.MD5OfMessageSystemAttributes).toBeUndefined();
    expect(sent.SequenceNumber).toBeUndefined();
  });

  it("delivers the body, MessageId and MD5OfBody that were sent", async () => {
    const QueueUrl = await newQueue(sqs, "receive");
    const body = "line one\r\nline two\ttabbed \u00e9\u4e2d\u{1F600} <xml> & \"quotes\"";
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(Messages).toHaveLength(1);
    const [message] = Messages!;
    expect(message).toMatchObject({ MessageId: sent.MessageId, Body: body, MD5OfBody: md5OfBody(body) });
    expect(sent.MD5OfMessageBody).toBe(md5OfBody(body));
    expect(message!.ReceiptHandle).toBeTruthy();
    // Nothing was asked for, so nothing extra comes back.
    expect(message!.Attributes).toBeUndefined();
    expect(message!.MessageAttributes).toBeUndefined();
    expect(message!.MD5OfMessageAttributes).toBeUndefined();
  });

  it("returns no Messages from an empty queue", async () => {
    const QueueUrl = await newQueue(sqs, "empty");
    const result = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(result.Messages).toBeUndefined();
  });

  it("returns one message by default and at most MaxNumberOfMessages, each message once", async () => {
    const QueueUrl = await newQueue(sqs, "max");
    const ids = new Set<string>();
    for (let i = 0; i < 7; i++) {
      ids.add((await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `m${i}` }))).MessageId!);
    }
    const single = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(single.Messages).toHaveLength(1);
    const received = single.Messages!.map((m) => m.MessageId!);
    for (let round = 0; round < 10 && received.length < 7; round++) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 4 }));
      expect(Messages.length).toBeLessThanOrEqual(4);
      received.push(...Messages.map((m) => m.MessageId!));
    }
    expect(received).toHaveLength(7);
    expect(new Set(received)).toEqual(ids);
  });

  it("deletes a received message for good", async () => {
    const QueueUrl = await newQueue(sqs, "delete");
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "bye" }));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 0 }));
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages![0]!.ReceiptHandle }));
    expect(await messageCounts(sqs, QueueUrl)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
    // VisibilityTimeout 0 would have left it visible at once had it not been deleted.
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
  });

  it("refuses a MessageDeduplicationId on a standard queue with InvalidParameterValue", async () => {
    const QueueUrl = await newQueue(sqs, "dedup-standard");
    const error = await expectSqsError(
      sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x", MessageDeduplicationId: "d1" })),
      "InvalidParameterValue",
    );
    expect(error.message).toBe(
      "Value d1 for parameter MessageDeduplicationId is invalid. Reason: The request includes a parameter that is not valid for this queue type.",
    );
    expect(await messageCounts(sqs, QueueUrl)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
  });

  it("accepts a MessageGroupId on a standard queue, which orders and blocks nothing", async () => {
    const QueueUrl = await newQueue(sqs, "fair-send");
    for (const MessageBody of ["a", "b"]) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody, MessageGroupId: "g" }));
    // Unlike FIFO, a group's message in flight does not hold back the next one.
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    const second = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect([first.Messages?.[0]?.Body, second.Messages?.[0]?.Body].sort()).toEqual(["a", "b"]);
  });
});
