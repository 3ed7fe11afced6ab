/**
 * Message size and content: up to MaximumMessageSize bytes inclusive,
 * counting UTF-8 bytes of the body and of each attribute's name, type and value; only XML 1.0
 * characters.
 */
import { ReceiveMessageCommand, SendMessageCommand, type MessageAttributeValue } from "@aws-sdk/client-sqs";
import { beforeAll, describe, expect, it } from "vitest";
import { awsClient } from "../clients.js";
import { md5OfBody } from "./md5.js";
import { expectSqsError, newQueue } from "./standard-helpers.js";

const sqs = awsClient();
const MIB = 1_048_576;
let small: string;

beforeAll(async () => {
  small = await newQueue(sqs, "size-1k", { MaximumMessageSize: "1024" });
});

const send = (QueueUrl: string, MessageBody: string, MessageAttributes?: Record<string, MessageAttributeValue>) =>
  sqs.send(new SendMessageCommand({ QueueUrl, MessageBody, MessageAttributes }));

describe("message size", () => {
  it("accepts a body of exactly MaximumMessageSize bytes and refuses one byte more", async () => {
    await send(small, "a".repeat(1024));
    const error = await expectSqsError(send(small, "a".repeat(1025)), "InvalidParameterValue");
    expect(error.message).toBe("One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.");
  });

  it("counts UTF-8 bytes, not characters", async () => {
    // 1023 characters, 1025 bytes.
    await expectSqsError(send(small, `${"a".repeat(1021)}\u00e9\u00e9`), "InvalidParameterValue");
    // 256 four-byte characters: 512 UTF-16 code units, exactly 1024 bytes.
    await send(small, "\u{1F600}".repeat(256));
  });

  it("counts attribute names, types and values toward the size", async () => {
    // 1000 + "a" (1) + "String" (6) + 17 = 1024 bytes.
    await send(small, "b".repeat(1000), { a: { DataType: "String", StringValue: "v".repeat(17) } });
    await expectSqsError(
      send(small, "b".repeat(1000), { a: { DataType: "String", StringValue: "v".repeat(18) } }),
      "InvalidParameterValue",
    );
    // Binary values count their decoded bytes: 1000 + "b" (1) + "Binary" (6) + 18 = 1025.
    await expectSqsError(
      send(small, "b".repeat(1000), { b: { DataType: "Binary", BinaryValue: new Uint8Array(18) } }),
      "InvalidParameterValue",
    );
  });

  it("allows 1 MiB by default: a body of exactly 1,048,576 bytes arrives intact, one byte more is refused", async () => {
    const QueueUrl = await newQueue(sqs, "size-default");
    const body = "x".repeat(MIB - 1) + "y";
    const sent = await send(QueueUrl, body);
    expect(sent.MD5OfMessageBody).toBe(md5OfBody(body));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(Messages?.[0]?.Body?.length).toBe(MIB);
    expect(Messages?.[0]?.Body === body).toBe(true);
    const error = await expectSqsError(send(QueueUrl, body + "z"), "InvalidParameterValue");
    expect(error.message).toBe("One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.");
  });

  it("follows a change of MaximumMessageSize", async () => {
    const QueueUrl = await newQueue(sqs, "size-2k", { MaximumMessageSize: "2048" });
    await send(QueueUrl, "a".repeat(2048));
    await expectSqsError(send(QueueUrl, "a".repeat(2049)), "InvalidParameterValue");
  });
});

describe("message contents", () => {
  it("refuses an empty body with MissingParameter", async () => {
    const error = await expectSqsError(send(small, ""), "MissingParameter");
    expect(error.message).toBe("The request must contain the parameter MessageBody.");
  });

  it.each([
    ["NUL", "\u0000"],
    ["a backspace", "\u0008"],
    ["a vertical tab", "\u000b"],
    ["a form feed", "\u000c"],
    ["a unit separator", "\u001f"],
    ["a lone high surrogate", "\ud800"],
    ["a lone low surrogate", "\udc00"],
    ["U+FFFE", "\ufffe"],
    ["U+FFFF", "\uffff"],
  ])("refuses a body containing %s with InvalidMessageContents", async (_, character) => {
    const error = await expectSqsError(send(small, `before${character}after`), "InvalidMessageContents");
    expect(error.message).toBe(
      "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF",
    );
  });

  it("accepts tab, line feed, carriage return and the edges of every valid range", async () => {
    const body = "\t\n\r \ud7ff\ue000\ufffd\u{10000}\u{10ffff}";
    const QueueUrl = await newQueue(sqs, "valid-chars");
    const sent = await send(QueueUrl, body);
    expect(sent.MD5OfMessageBody).toBe(md5OfBody(body));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(Messages?.[0]?.Body).toBe(body);
  });
});
