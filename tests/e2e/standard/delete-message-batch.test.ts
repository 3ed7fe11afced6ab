/** DeleteMessageBatch: every entry deleted or failed on its own. */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient } from "../clients.js";
import { messageCounts, newQueue } from "./standard-helpers.js";

const sqs = awsClient();

async function receivedHandles(prefix: string, n: number) {
  const QueueUrl = await newQueue(sqs, prefix);
  await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl,
      Entries: Array.from({ length: n }, (_, i) => ({ Id: `m${i}`, MessageBody: `m${i}` })),
    }),
  );
  const handles: string[] = [];
  for (let round = 0; round < 5 && handles.length < n; round++) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    handles.push(...Messages.map((m) => m.ReceiptHandle!));
  }
  expect(handles).toHaveLength(n);
  return { QueueUrl, handles };
}

describe("DeleteMessageBatch", () => {
  it("deletes up to 10 messages in one request", async () => {
    const { QueueUrl, handles } = await receivedHandles("batch-delete", 10);
    const result = await sqs.send(
      new DeleteMessageBatchCommand({ QueueUrl, Entries: handles.map((ReceiptHandle, i) => ({ Id: `d${i}`, ReceiptHandle })) }),
    );
    expect(result.Failed ?? []).toEqual([]);
    expect(result.Successful?.map((s) => s.Id).sort()).toEqual(handles.map((_, i) => `d${i}`).sort());
    expect(await messageCounts(sqs, QueueUrl)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
  });

  it("reports an invalid handle as a failed entry and deletes the rest", async () => {
    const { QueueUrl, handles } = await receivedHandles("batch-delete-partial", 3);
    const result = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: "first", ReceiptHandle: handles[0] },
          { Id: "forged", ReceiptHandle: "garbage" },
          { Id: "second", ReceiptHandle: handles[1] },
        ],
      }),
    );
    expect(result.Successful?.map((s) => s.Id).sort()).toEqual(["first", "second"]);
    expect(result.Failed).toEqual([
      {
        Id: "forged",
        SenderFault: true,
        Code: "ReceiptHandleIsInvalid",
        Message: 'The input receipt handle "garbage" is not a valid receipt handle.',
      },
    ]);
    expect(await messageCounts(sqs, QueueUrl)).toMatchObject({ visible: 0, notVisible: 1 });
  });

  it("succeeds for entries whose messages were already deleted", async () => {
    const { QueueUrl, handles } = await receivedHandles("batch-delete-twice", 2);
    const Entries = handles.map((ReceiptHandle, i) => ({ Id: `d${i}`, ReceiptHandle }));
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries }));
    const again = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries }));
    expect(again.Failed ?? []).toEqual([]);
    expect(again.Successful).toHaveLength(2);
  });
});
