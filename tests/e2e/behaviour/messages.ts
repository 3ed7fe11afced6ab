/** Messages as every client sees them: attributes and their MD5s, bodies, delete, visibility, purge. */
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { expect, it } from "vitest";
import { awsClient } from "../clients.js";
import type { MessageAttributeMap } from "../../../sdk/protocol/index.js";
import type { SqsAdapter } from "./adapter.js";
import { expectedAttributesMd5, expectedBodyMd5 } from "./expected-md5.js";
import { expectError, expectException, newQueue, receive, receiveOne } from "./steps.js";

/** One attribute of every data type, custom suffixes included, with values that need escaping. */
export const EVERY_TYPE: MessageAttributeMap = {
  text: { DataType: "String", StringValue: "a & b <c> \"d\" 'e'\r\n\tf 😀" },
  count: { DataType: "Number", StringValue: "-12345678901234567890.5e-3" },
  ratio: { DataType: "Number.float", StringValue: "3.14159" },
  raw: { DataType: "Binary", BinaryValue: Uint8Array.of(0, 1, 2, 0x0d, 0x0a, 0x7f, 0x80, 0xfe, 0xff) },
  picture: { DataType: "Binary.gif", BinaryValue: new Uint8Array(Buffer.from("GIF89a\x01\x00\x01\x00", "latin1")) },
  label: { DataType: "String.utf8", StringValue: "ünïcödé" },
  "foo.one": { DataType: "String", StringValue: "1" },
  "foo.two": { DataType: "Number", StringValue: "2" },
};

/** XML's special characters, CR (which XML parsers normalise away unless escaped), tab, non-BMP. */
export const TRICKY_BODY = `  &<>"'\r\n\t]]>\r\r\n${"😀𝄞"} é 中文 &amp; <![CDATA[x]]> \uE000\uFFFD  `;

function subset(names: string[]): MessageAttributeMap {
  return Object.fromEntries(names.map((n) => [n, EVERY_TYPE[n]!]));
}

export function messageBehaviour(client: () => SqsAdapter): void {
  it("sends every attribute type and returns the MD5s SQS defines", async () => {
    const sqs = client();
    const { url } = await newQueue(sqs, "attrs");
    const sent = await sqs.call("SendMessage", { QueueUrl: url, MessageBody: "with attributes", MessageAttributes: EVERY_TYPE });
    expect(sent.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.MD5OfMessageBody).toBe(expectedBodyMd5("with attributes"));
    expect(sent.MD5OfMessageAttributes).toBe(expectedAttributesMd5(EVERY_TYPE));
  });

  it("long-polls: a wait woken by a send returns the message, an empty wait returns nothing", async () => {
    const sqs = client();
    const { url } = await newQueue(sqs, "long-poll");
    // A waiting receive answers with whitespace first (worker/held-response.ts); every client must parse it.
    const empty = await sqs.call("ReceiveMessage", { QueueUrl: url, WaitTimeSeconds: 1 });
    expect(empty.Messages ?? []).toEqual([]);
    const waiting = sqs.call("ReceiveMessage", { QueueUrl: url, WaitTimeSeconds: 10, MessageAttributeNames: ["All"] });
    await new Promise((resolve) => setTimeout(resolve, 700));
    // Sent by another client: the Python drivers serve one call at a time.
    await awsClient().send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: TRICKY_BODY, MessageAttributes: subset(["text", "raw"]) }),
    );
    const { Messages = [] } = await waiting;
    expect(Messages.map((m) => m.Body)).toEqual([TRICKY_BODY]);
    expect(Messages[0]?.MD5OfBody).toBe(expectedBodyMd5(TRICKY_BODY));
    expect(Messages[0]?.MD5OfMessageAttributes).toBe(expectedAttributesMd5(subset(["text", "raw"])));
  });

  it("receives message attributes: all, by name and by prefix", async () => {
    const sqs = client();
    const { url } = await newQueue(sqs, "recv-attrs");
    await sqs.call("SendMessage", { QueueUrl: url, MessageBody: "m", MessageAttributes: EVERY_TYPE });

    const all = await receiveOne(sqs, url, { MessageAttributeNames: ["All"] });
    expect(all.MessageAttributes).toEqual(EVERY_TYPE);
    expect(all.MD5OfMessageAttributes).toBe(expectedAttributesMd5(EVERY_TYPE));

    const named = await receiveOne(sqs, url, { MessageAttributeNames: ["raw", "ratio", "missing"] });
    expect(named.MessageAttributes).toEqual(subset(["raw", "ratio"]));
    expect(named.MD5OfMessageAttributes).toBe(expectedAttributesMd5(subset(["raw", "ratio"])));

    const prefixed = await receiveOne(sqs, url, { MessageAttributeNames: ["foo.*"] });
    expect(prefixed.MessageAttributes).toEqual(subset(["foo.one", "foo.two"]));
    expect(prefixed.MD5OfMessageAttributes).toBe(expectedAttributesMd5(subset(["foo.one", "foo.two"])));

    // A plain string prefix, as AWS matches it: ra.* is raw and ratio.
    const plainPrefix = await receiveOne(sqs, url, { MessageAttributeNames: ["ra.*"] });
    expect(plainPrefix.MessageAttributes).toEqual(subset(["raw", "ratio"]));

    const star = await receiveOne(sqs, url, { MessageAttributeNames: ["*"] });
    expect(star.MessageAttributes).toEqual(EVERY_TYPE);

    const none = await receiveOne(sqs, url);
    expect(none.MessageAttributes).toBeUndefined();
    expect(none.MD5OfMessageAttributes).toBeUndefined();
  });

  it("receives system attributes: all and by name", async () => {
    const sqs = client();
    const { url } = await newQueue(sqs, "sys-attrs");
    const before = Date.now();
    await sqs.call("SendMessage", { QueueUrl: url, MessageBody: "m" });
    const first = await receiveOne(sqs, url, { AttributeNames: ["All"] });
    expect(Object.keys(first.Attributes ?? {}).sort()).toEqual(
      ["ApproximateFirstReceiveTimestamp", "ApproximateReceiveCount", "SenderId", "SentTimestamp"].sort(),
    );
    expect(first.Attributes!.ApproximateReceiveCount).toBe("1");
    expect(Number(first.Attributes!.SentTimestamp)).toBeGreaterThanOrEqual(before - 5_000);
    const second = await receiveOne(sqs, url, { AttributeNames: ["ApproximateReceiveCount"] });
    expect(second.Attributes).toEqual({ ApproximateReceiveCount: "2" });
  });

  it("round-trips a body with XML-special, control and non-BMP characters exactly", async () => {
    const sqs = client();
    const { url } = await newQueue(sqs, "body");
    const sent = await sqs.call("SendMessage", { QueueUrl: url, MessageBody: TRICKY_BODY });
    expect(sent.MD5OfMessageBody).toBe(expectedBodyMd5(TRICKY_BODY));
    const message = await receiveOne(sqs, url);
    expect(message.Body).toBe(TRICKY_BODY);
    expect(message.MD5OfBody).toBe(expectedBodyMd5(TRICKY_BODY));
  });

  it("deletes a message, idempotently, and rejects an invalid receipt handle", async () => {
    const sqs = client();
    const { url } = await newQueue(sqs, "delete-msg");
    await sqs.call("SendMessage", { QueueUrl: url, MessageBody: "m" });
    const message = await receiveOne(sqs, url, { VisibilityTimeout: 30 });
    await sqs.call("DeleteMessage", { QueueUrl: url, ReceiptHandle: message.ReceiptHandle });
    await sqs.call("DeleteMessage", { QueueUrl: url, ReceiptHandle: message.ReceiptHandle });
    expect(await receive(sqs, url)).toEqual([]);
    const error = await expectError(
      sqs.call("DeleteMessage", { QueueUrl: url, ReceiptHandle: "not-a-handle" }),
      "ReceiptHandleIsInvalid",
    );
    expect(error.message).toBe('The input receipt handle "not-a-handle" is not a valid receipt handle.');
    expectException(sqs, error, "ReceiptHandleIsInvalid");
  });

  it("hides a received message until its visibility is changed", async () => {
    const sqs = client();
    const { url } = await newQueue(sqs, "visibility");
    await sqs.call("SendMessage", { QueueUrl: url, MessageBody: "m" });
    const first = await receiveOne(sqs, url, { VisibilityTimeout: 60 });
    expect(await receive(sqs, url)).toEqual([]);
    await sqs.call("ChangeMessageVisibility", { QueueUrl: url, ReceiptHandle: first.ReceiptHandle, VisibilityTimeout: 0 });
    const again = await receiveOne(sqs, url, { AttributeNames: ["ApproximateReceiveCount"] });
    expect(again.MessageId).toBe(first.MessageId);
    expect(again.Attributes).toEqual({ ApproximateReceiveCount: "2" });
  });

  it("purges a queue", async () => {
    const sqs = client();
    const { url } = await newQueue(sqs, "purge");
    await sqs.call("SendMessage", { QueueUrl: url, MessageBody: "one" });
    await sqs.call("SendMessage", { QueueUrl: url, MessageBody: "two" });
    await sqs.call("PurgeQueue", { QueueUrl: url });
    expect(await receive(sqs, url)).toEqual([]);
    const { Attributes } = await sqs.call("GetQueueAttributes", {
      QueueUrl: url,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    });
    expect(Attributes).toEqual({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" });
  });
}
