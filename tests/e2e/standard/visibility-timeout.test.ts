/**
 * Visibility timeout: a received message is hidden, comes back when the timeout ends with a
 * higher ApproximateReceiveCount, and ChangeMessageVisibility moves the deadline.
 * Real 1-second timeouts; the tests run concurrently.
 */
import {
  ChangeMessageVisibilityCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
} from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient } from "../clients.js";
import { expectSqsError, newQueue, sleep } from "./standard-helpers.js";

const sqs = awsClient();

/** Waits past a 1-second timeout with room for a loaded machine. */
const PAST_ONE_SECOND_MS = 1_400;

async function receiveOne(QueueUrl: string, VisibilityTimeout?: number): Promise<Message | undefined> {
  const { Messages } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout, MessageSystemAttributeNames: ["ApproximateReceiveCount"] }),
  );
  expect((Messages ?? []).length).toBeLessThanOrEqual(1);
  return Messages?.[0];
}

describe.concurrent("visibility timeout", () => {
  it("hides a received message until the timeout ends, then delivers it again with ApproximateReceiveCount 2", async () => {
    const QueueUrl = await newQueue(sqs, "vis");
    const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "again" }));
    const first = await receiveOne(QueueUrl, 1);
    expect(first?.MessageId).toBe(MessageId);
    expect(first?.Attributes?.ApproximateReceiveCount).toBe("1");
    expect(await receiveOne(QueueUrl)).toBeUndefined();

    await sleep(PAST_ONE_SECOND_MS);
    const second = await receiveOne(QueueUrl, 1);
    expect(second?.MessageId).toBe(MessageId);
    expect(second?.Attributes?.ApproximateReceiveCount).toBe("2");
    expect(second?.ReceiptHandle).not.toBe(first?.ReceiptHandle);
  });

  it("uses the queue's VisibilityTimeout when the receive gives none", async () => {
    const QueueUrl = await newQueue(sqs, "vis-queue", { VisibilityTimeout: "1" });
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "queue default" }));
    expect(await receiveOne(QueueUrl)).toBeDefined();
    expect(await receiveOne(QueueUrl)).toBeUndefined();
    await sleep(PAST_ONE_SECOND_MS);
    expect((await receiveOne(QueueUrl))?.Attributes?.ApproximateReceiveCount).toBe("2");
  });

  it("lets the receive's VisibilityTimeout override the queue's", async () => {
    const QueueUrl = await newQueue(sqs, "vis-override", { VisibilityTimeout: "1" });
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "held longer" }));
    expect(await receiveOne(QueueUrl, 30)).toBeDefined();
    await sleep(PAST_ONE_SECOND_MS);
    expect(await receiveOne(QueueUrl)).toBeUndefined();
  });

  it("leaves a message received with VisibilityTimeout 0 visible at once", async () => {
    const QueueUrl = await newQueue(sqs, "vis-zero");
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "still here" }));
    expect(await receiveOne(QueueUrl, 0)).toBeDefined();
    expect((await receiveOne(QueueUrl, 0))?.Attributes?.ApproximateReceiveCount).toBe("2");
  });

  it("makes a message visible at once with ChangeMessageVisibility 0", async () => {
    const QueueUrl = await newQueue(sqs, "vis-change-zero");
    const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "release" }));
    const first = await receiveOne(QueueUrl, 300);
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: first!.ReceiptHandle, VisibilityTimeout: 0 }));
    const second = await receiveOne(QueueUrl);
    expect(second?.MessageId).toBe(MessageId);
    expect(second?.Attributes?.ApproximateReceiveCount).toBe("2");
  });

  it("extends the timeout from now with ChangeMessageVisibility", async () => {
    const QueueUrl = await newQueue(sqs, "vis-extend");
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "extend" }));
    const first = await receiveOne(QueueUrl, 1);
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: first!.ReceiptHandle, VisibilityTimeout: 30 }));
    await sleep(PAST_ONE_SECOND_MS);
    expect(await receiveOne(QueueUrl)).toBeUndefined();
  });

  it("shortens the timeout with ChangeMessageVisibility", async () => {
    const QueueUrl = await newQueue(sqs, "vis-shorten");
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "shorten" }));
    const first = await receiveOne(QueueUrl, 300);
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: first!.ReceiptHandle, VisibilityTimeout: 1 }));
    expect(await receiveOne(QueueUrl)).toBeUndefined();
    await sleep(PAST_ONE_SECOND_MS);
    expect((await receiveOne(QueueUrl))?.Attributes?.ApproximateReceiveCount).toBe("2");
  });

  it.each([-1, 43_201])("rejects ChangeMessageVisibility %i with InvalidParameterValue", async (VisibilityTimeout) => {
    const QueueUrl = await newQueue(sqs, "vis-range");
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "range" }));
    const first = await receiveOne(QueueUrl);
    const error = await expectSqsError(
      sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: first!.ReceiptHandle, VisibilityTimeout })),
      "InvalidParameterValue",
    );
    expect(error.message).toMatch(new RegExp(`^Value ${VisibilityTimeout} for parameter VisibilityTimeout is invalid`));
  });
});
