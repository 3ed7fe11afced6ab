import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient } from "../clients.js";
import { createFifoQueue, sqsError } from "./fifo-helpers.js";

const sqs = awsClient();

describe("FIFO receive attempts and handles", () => {
  it("replays the same messages and receipt handles for a retried ReceiveRequestAttemptId", async () => {
    const QueueUrl = await createFifoQueue(sqs, { ContentBasedDeduplication: "true" });
    for (const body of ["a", "b"]) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: "g" }));
    const receive = () =>
      sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, ReceiveRequestAttemptId: "attempt-1" }));
    const first = await receive();
    const retry = await receive();
    expect(first.Messages?.map((m) => m.Body)).toEqual(["a", "b"]);
    expect(retry.Messages?.map((m) => m.ReceiptHandle)).toEqual(first.Messages?.map((m) => m.ReceiptHandle));
    // A different attempt id is a new receive: the group is in flight, so nothing comes back.
    const other = await sqs.send(new ReceiveMessageCommand({ QueueUrl, ReceiveRequestAttemptId: "attempt-2" }));
    expect(other.Messages).toBeUndefined();
    // Once a message of the attempt is deleted, the attempt can no longer be replayed.
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first.Messages![0]!.ReceiptHandle }));
    const afterDelete = await receive();
    expect(afterDelete.Messages).toBeUndefined();
  });

  it("refuses to delete with a handle whose visibility timeout expired", async () => {
    const QueueUrl = await createFifoQueue(sqs, { ContentBasedDeduplication: "true" });
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "a", MessageGroupId: "g" }));
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 1 }));
    await new Promise((r) => setTimeout(r, 1_200));
    const error = await sqsError(sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages[0]!.ReceiptHandle })));
    expect(error.name).toBe("InvalidParameterValue");
    expect(error.message).toMatch(/The receipt handle has expired/);
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(again.Messages?.[0]?.Body).toBe("a");
  });
});
