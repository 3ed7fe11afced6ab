import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient } from "../clients.js";
import { createQueue, redrive } from "../dead-letter/dead-letter-helpers.js";
import { createFifoQueue, overFifoLayouts, sqsError } from "./fifo-helpers.js";

const sqs = awsClient();

overFifoLayouts("FIFO receive attempts and handles", (layout) => {
  it("replays the same messages and receipt handles for a retried ReceiveRequestAttemptId", async () => {
    const QueueUrl = await createFifoQueue(sqs, { ContentBasedDeduplication: "true" }, "fifo", layout);
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
    const QueueUrl = await createFifoQueue(sqs, { ContentBasedDeduplication: "true" }, "fifo", layout);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "a", MessageGroupId: "g" }));
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 1 }));
    await new Promise((r) => setTimeout(r, 1_200));
    const error = await sqsError(sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages[0]!.ReceiptHandle })));
    expect(error.name).toBe("InvalidParameterValue");
    expect(error.message).toMatch(/The receipt handle has expired/);
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(again.Messages?.[0]?.Body).toBe("a");
  });

  it("keeps its own rule for an earlier handle: refused once the message was received again", async () => {
    // The 4.4 matrix, FIFO row: unlike a standard queue, only the latest handle changes visibility,
    // so a consumer holding an earlier one cannot hand back a message someone else now holds in order.
    const QueueUrl = await createFifoQueue(sqs, { ContentBasedDeduplication: "true" }, "fifo", layout);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "a", MessageGroupId: "g" }));
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 0 }));
    const second = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 30 }));
    expect(second.Messages?.[0]?.Body).toBe("a");
    const error = await sqsError(
      sqs.send(
        new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: first.Messages![0]!.ReceiptHandle, VisibilityTimeout: 0 }),
      ),
    );
    expect(error.name).toBe("InvalidParameterValue");
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
  });

  it("rejects a ReceiveRequestAttemptId that is too long or has characters outside the allowed set", async () => {
    const QueueUrl = await createFifoQueue(sqs, { ContentBasedDeduplication: "true" }, "fifo", layout);
    for (const attemptId of ["x".repeat(129), "has space", "caf\u00e9"]) {
      const error = await sqsError(sqs.send(new ReceiveMessageCommand({ QueueUrl, ReceiveRequestAttemptId: attemptId })));
      expect(error.name).toBe("InvalidParameterValue");
      expect(error.message).toMatch(/ReceiveRequestAttemptId/);
    }
    const punctuation = `!"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~`;
    for (const attemptId of ["a".repeat(128), `Az09${punctuation}`]) {
      const reply = await sqs.send(new ReceiveMessageCommand({ QueueUrl, ReceiveRequestAttemptId: attemptId }));
      expect(reply.Messages).toBeUndefined();
    }
  });

  it("does not replay an attempt once a message's visibility was changed", async () => {
    const QueueUrl = await createFifoQueue(sqs, { ContentBasedDeduplication: "true" }, "fifo", layout);
    for (const body of ["a", "b"]) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: "g" }));
    const receive = () =>
      sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, ReceiveRequestAttemptId: "changed" }));
    const first = await receive();
    expect(first.Messages?.map((m) => m.Body)).toEqual(["a", "b"]);
    await sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: first.Messages![1]!.ReceiptHandle, VisibilityTimeout: 600 }),
    );
    // Not a replay, so a normal receive: the group is still in flight, nothing comes back.
    expect((await receive()).Messages).toBeUndefined();
  });

  it("does not replay an attempt whose visibility timeout expired, but delivers afresh with new handles", async () => {
    const QueueUrl = await createFifoQueue(sqs, { ContentBasedDeduplication: "true" }, "fifo", layout);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "a", MessageGroupId: "g" }));
    const receive = () =>
      sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 1, ReceiveRequestAttemptId: "expired", AttributeNames: ["All"] }));
    const first = await receive();
    await new Promise((r) => setTimeout(r, 1_300));
    const again = await receive();
    expect(again.Messages?.map((m) => m.Body)).toEqual(["a"]);
    expect(again.Messages![0]!.ReceiptHandle).not.toBe(first.Messages![0]!.ReceiptHandle);
    expect(again.Messages![0]!.Attributes?.ApproximateReceiveCount).toBe("2");
  });

  it("replays within the visibility timeout, again and again, and each replay resets it", async () => {
    const QueueUrl = await createFifoQueue(sqs, { ContentBasedDeduplication: "true" }, "fifo", layout);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "a", MessageGroupId: "g" }));
    const receive = () => sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 4, ReceiveRequestAttemptId: "reset" }));
    const first = await receive();
    await new Promise((r) => setTimeout(r, 2_000));
    const replay = await receive();
    const secondReplay = await receive();
    expect(replay.Messages?.[0]?.ReceiptHandle).toBe(first.Messages?.[0]?.ReceiptHandle);
    expect(secondReplay.Messages?.[0]?.ReceiptHandle).toBe(first.Messages?.[0]?.ReceiptHandle);
    // Past the first receive's deadline (4 s) but well before the reset one: still in flight.
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: secondReplay.Messages![0]!.ReceiptHandle }));
  });
});

describe("FIFO receive attempts and dead letters", () => {
  it("returns each message once when a retried receive also moves dead letters", async () => {
    const dlq = await createQueue(sqs, "attempt-dlq", {}, true);
    const source = await createQueue(sqs, "attempt-src", { ContentBasedDeduplication: "true", RedrivePolicy: redrive(dlq, 1) }, true);
    const QueueUrl = source.url;
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "dead", MessageGroupId: "a" }));
    // Received once and straight back (visibility 0): the next receive must move it to the DLQ.
    const once = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 0 }));
    expect(once.Messages?.map((m) => m.Body)).toEqual(["dead"]);
    for (const body of ["b1", "b2"]) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: "b" }));

    const receive = () =>
      sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, ReceiveRequestAttemptId: "with-dead-letters" }));
    const first = await receive();
    expect(first.Messages?.map((m) => m.Body)).toEqual(["b1", "b2"]);
    const retry = await receive();
    expect(retry.Messages?.map((m) => m.ReceiptHandle)).toEqual(first.Messages?.map((m) => m.ReceiptHandle));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: dlq.url, AttributeNames: ["ApproximateNumberOfMessages"] }),
    );
    expect(Attributes?.ApproximateNumberOfMessages).toBe("1");
  });
});
