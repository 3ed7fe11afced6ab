/** ChangeMessageVisibilityBatch: every entry changed or failed on its own. */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
} from "@aws-sdk/client-sqs";
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
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 300 }),
  );
  expect(Messages).toHaveLength(n);
  return { QueueUrl, handles: Messages.map((m) => m.ReceiptHandle!) };
}

describe("ChangeMessageVisibilityBatch", () => {
  it("makes every entry's message visible again with VisibilityTimeout 0", async () => {
    const { QueueUrl, handles } = await receivedHandles("batch-vis", 4);
    const result = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl,
        Entries: handles.map((ReceiptHandle, i) => ({ Id: `c${i}`, ReceiptHandle, VisibilityTimeout: 0 })),
      }),
    );
    expect(result.Failed ?? []).toEqual([]);
    expect(result.Successful?.map((s) => s.Id).sort()).toEqual(["c0", "c1", "c2", "c3"]);
    expect(await messageCounts(sqs, QueueUrl)).toMatchObject({ visible: 4, notVisible: 0 });
  });

  it("reports forged, deleted and out-of-range entries as failures and changes the rest", async () => {
    const { QueueUrl, handles } = await receivedHandles("batch-vis-partial", 3);
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: handles[2] }));
    const result = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl,
        Entries: [
          { Id: "released", ReceiptHandle: handles[0], VisibilityTimeout: 0 },
          { Id: "forged", ReceiptHandle: "garbage", VisibilityTimeout: 0 },
          { Id: "too-long", ReceiptHandle: handles[1], VisibilityTimeout: 43_201 },
          { Id: "deleted", ReceiptHandle: handles[2], VisibilityTimeout: 0 },
        ],
      }),
    );
    expect(result.Successful?.map((s) => s.Id)).toEqual(["released"]);
    const failed = Object.fromEntries((result.Failed ?? []).map((f) => [f.Id, f]));
    expect(Object.keys(failed).sort()).toEqual(["deleted", "forged", "too-long"]);
    expect(failed.forged).toEqual({
      Id: "forged",
      SenderFault: true,
      Code: "ReceiptHandleIsInvalid",
      Message: 'The input receipt handle "garbage" is not a valid receipt handle.',
    });
    expect(failed["too-long"]).toMatchObject({ SenderFault: true, Code: "InvalidParameterValue" });
    expect(failed.deleted).toMatchObject({
      SenderFault: true,
      Code: "InvalidParameterValue",
      Message: `Value ${handles[2]} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
    });
    // Only the released message is visible; the out-of-range entry left its message in flight.
    expect(await messageCounts(sqs, QueueUrl)).toMatchObject({ visible: 1, notVisible: 1 });
  });
});
