/**
 * SendMessageBatch: each entry is sent or fails on its own, the whole
 * request is capped at 1 MiB.
 */
import {
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
} from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient } from "../clients.js";
import { md5OfAttributes, md5OfBody } from "./md5.js";
import { expectSqsError, messageCounts, newQueue, sleep } from "./standard-helpers.js";

const sqs = awsClient();
const MIB = 1_048_576;
const sendBatch = (QueueUrl: string, Entries: SendMessageBatchRequestEntry[]) =>
  sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }));

describe("SendMessageBatch", () => {
  it("sends 10 messages and answers each entry with its MessageId and MD5s", async () => {
    const QueueUrl = await newQueue(sqs, "batch-send");
    const Entries = Array.from({ length: 10 }, (_, i) => ({
      Id: `e${i}`,
      MessageBody: `body ${i}`,
      MessageAttributes: i % 2 ? { n: { DataType: "Number", StringValue: `${i}` } } : undefined,
    }));
    const result = await sendBatch(QueueUrl, Entries);
    expect(result.Failed ?? []).toEqual([]);
    expect(result.Successful).toHaveLength(10);
    for (const entry of Entries) {
      const answer = result.Successful!.find((s) => s.Id === entry.Id)!;
      expect(answer.MD5OfMessageBody).toBe(md5OfBody(entry.MessageBody));
      expect(answer.MD5OfMessageAttributes).toBe(entry.MessageAttributes ? md5OfAttributes(entry.MessageAttributes) : undefined);
    }
    expect(new Set(result.Successful!.map((s) => s.MessageId)).size).toBe(10);

    const received = new Map<string, string>();
    for (let round = 0; round < 5 && received.size < 10; round++) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
      for (const m of Messages) received.set(m.MessageId!, m.Body!);
    }
    expect(received).toEqual(new Map(result.Successful!.map((s) => [s.MessageId!, `body ${s.Id!.slice(1)}`])));
  });

  it("leaves Failed out of an all-success answer, and Successful out of an all-failed one, as AWS's JSON does", async () => {
    // The SDK hands back the members the wire carried, so an absent list stays absent here.
    const QueueUrl = await newQueue(sqs, "batch-lists");
    const allSent = await sendBatch(QueueUrl, [{ Id: "a", MessageBody: "one" }, { Id: "b", MessageBody: "two" }]);
    expect(allSent.Successful).toHaveLength(2);
    expect(allSent).not.toHaveProperty("Failed");
    const allFailed = await sendBatch(QueueUrl, [{ Id: "bad", MessageBody: "bell \u0007" }]);
    expect(allFailed.Failed).toHaveLength(1);
    expect(allFailed).not.toHaveProperty("Successful");
  });

  it("fails only the entry with invalid characters, with InvalidMessageContents", async () => {
    const QueueUrl = await newQueue(sqs, "batch-chars");
    const result = await sendBatch(QueueUrl, [
      { Id: "good", MessageBody: "fine" },
      { Id: "bad", MessageBody: "bell \u0007" },
      { Id: "also-good", MessageBody: "fine too" },
    ]);
    expect(result.Successful?.map((s) => s.Id)).toEqual(["good", "also-good"]);
    expect(result.Failed).toEqual([
      {
        Id: "bad",
        SenderFault: true,
        Code: "InvalidMessageContents",
        Message: expect.stringMatching(/^Invalid characters found/),
      },
    ]);
    expect((await messageCounts(sqs, QueueUrl)).visible).toBe(2);
  });

  it("fails only the entry over the queue's MaximumMessageSize, with AWS's batch wording", async () => {
    const QueueUrl = await newQueue(sqs, "batch-size", { MaximumMessageSize: "1024" });
    const result = await sendBatch(QueueUrl, [
      { Id: "fits", MessageBody: "a".repeat(1024) },
      { Id: "too-big", MessageBody: "a".repeat(1025) },
    ]);
    expect(result.Successful?.map((s) => s.Id)).toEqual(["fits"]);
    expect(result.Failed).toEqual([
      {
        Id: "too-big",
        SenderFault: true,
        Code: "InvalidParameterValue",
        Message: "One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.",
      },
    ]);
  });

  it("fails only the entries with an invalid attribute or delay, with InvalidParameterValue", async () => {
    const QueueUrl = await newQueue(sqs, "batch-params");
    const result = await sendBatch(QueueUrl, [
      { Id: "empty-attr", MessageBody: "x", MessageAttributes: { a: { DataType: "String", StringValue: "" } } },
      { Id: "ok", MessageBody: "x" },
      { Id: "late", MessageBody: "x", DelaySeconds: 901 },
    ]);
    expect(result.Successful?.map((s) => s.Id)).toEqual(["ok"]);
    expect(result.Failed?.map((f) => [f.Id, f.Code, f.SenderFault])).toEqual([
      ["empty-attr", "InvalidParameterValue", true],
      ["late", "InvalidParameterValue", true],
    ]);
    for (const failure of result.Failed!) expect(failure.Message).toBeTruthy();
  });

  it("answers with empty Successful when every entry fails", async () => {
    const QueueUrl = await newQueue(sqs, "batch-all-fail");
    const result = await sendBatch(QueueUrl, [{ Id: "bad", MessageBody: "\u0000" }]);
    expect(result.Successful ?? []).toEqual([]);
    expect(result.Failed?.map((f) => f.Code)).toEqual(["InvalidMessageContents"]);
  });

  it("applies each entry's DelaySeconds", async () => {
    const QueueUrl = await newQueue(sqs, "batch-delay");
    await sendBatch(QueueUrl, [
      { Id: "now", MessageBody: "now" },
      { Id: "later", MessageBody: "later", DelaySeconds: 1 },
    ]);
    expect(await messageCounts(sqs, QueueUrl)).toEqual({ visible: 1, notVisible: 0, delayed: 1 });
    await sleep(1_400);
    expect(await messageCounts(sqs, QueueUrl)).toEqual({ visible: 2, notVisible: 0, delayed: 0 });
  });

  it("accepts a batch of exactly 1 MiB in total", async () => {
    const QueueUrl = await newQueue(sqs, "batch-mib");
    const result = await sendBatch(QueueUrl, [
      { Id: "half-1", MessageBody: "a".repeat(MIB / 2) },
      { Id: "half-2", MessageBody: "b".repeat(MIB / 2) },
    ]);
    expect(result.Successful).toHaveLength(2);
  });

  it("refuses a batch over 1 MiB in total with BatchRequestTooLong, counting attributes", async () => {
    const QueueUrl = await newQueue(sqs, "batch-too-long");
    const error = await expectSqsError(
      sendBatch(QueueUrl, [
        { Id: "half-1", MessageBody: "a".repeat(MIB / 2) },
        // name "k" (1) + "String" (6) + value "v" (1) push the total 8 bytes over.
        { Id: "half-2", MessageBody: "b".repeat(MIB / 2), MessageAttributes: { k: { DataType: "String", StringValue: "v" } } },
      ]),
      "BatchRequestTooLong",
    );
    expect(error.message).toBe(`Batch requests cannot be longer than ${MIB} bytes. You have sent ${MIB + 8} bytes.`);
    expect(await messageCounts(sqs, QueueUrl)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
  });
});
