/**
 * Delay queues and per-message delays on a standard queue: a delayed
 * message is invisible and counted as delayed until it is due. Real 1-second delays, run
 * concurrently.
 */
import { ReceiveMessageCommand, SendMessageCommand, SetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient } from "../clients.js";
import { expectSqsError, messageCounts, newQueue, sleep } from "./standard-helpers.js";

const sqs = awsClient();
const PAST_ONE_SECOND_MS = 1_400;
const receiveIds = async (QueueUrl: string) =>
  ((await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages ?? []).map(
    (m) => m.MessageId,
  );

describe.concurrent("delays", () => {
  it("hides every new message for the queue's DelaySeconds", async () => {
    const QueueUrl = await newQueue(sqs, "delay-queue", { DelaySeconds: "1" });
    const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "queue delay" }));
    expect(await receiveIds(QueueUrl)).toEqual([]);
    expect(await messageCounts(sqs, QueueUrl)).toEqual({ visible: 0, notVisible: 0, delayed: 1 });
    await sleep(PAST_ONE_SECOND_MS);
    expect(await messageCounts(sqs, QueueUrl)).toEqual({ visible: 1, notVisible: 0, delayed: 0 });
    expect(await receiveIds(QueueUrl)).toEqual([MessageId]);
  });

  it("hides a message for its own DelaySeconds", async () => {
    const QueueUrl = await newQueue(sqs, "delay-message");
    const delayed = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "later", DelaySeconds: 1 }));
    const now = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "now" }));
    expect(await receiveIds(QueueUrl)).toEqual([now.MessageId]);
    await sleep(PAST_ONE_SECOND_MS);
    expect(await receiveIds(QueueUrl)).toEqual([delayed.MessageId]);
  });

  it("lets a message's DelaySeconds override the queue's, including 0", async () => {
    const QueueUrl = await newQueue(sqs, "delay-override", { DelaySeconds: "600" });
    const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "no wait", DelaySeconds: 0 }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "queue default" }));
    expect(await receiveIds(QueueUrl)).toEqual([MessageId]);
    expect(await messageCounts(sqs, QueueUrl)).toMatchObject({ delayed: 1 });
  });

  it("counts delayed messages in ApproximateNumberOfMessagesDelayed only", async () => {
    const QueueUrl = await newQueue(sqs, "delay-count");
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "a", DelaySeconds: 900 }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "b", DelaySeconds: 60 }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "c" }));
    expect(await messageCounts(sqs, QueueUrl)).toEqual({ visible: 1, notVisible: 0, delayed: 2 });
  });

  it("does not apply a change of the queue's DelaySeconds to messages already sent", async () => {
    const QueueUrl = await newQueue(sqs, "delay-change", { DelaySeconds: "600" });
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "sent under 600" }));
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { DelaySeconds: "0" } }));
    const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "sent under 0" }));
    expect(await receiveIds(QueueUrl)).toEqual([MessageId]);
    expect(await messageCounts(sqs, QueueUrl)).toMatchObject({ delayed: 1 });
  });

  it("accepts DelaySeconds 900", async () => {
    const QueueUrl = await newQueue(sqs, "delay-max");
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "max", DelaySeconds: 900 }));
    expect(await messageCounts(sqs, QueueUrl)).toMatchObject({ delayed: 1 });
  });

  it.each([901, -1])("rejects a message DelaySeconds of %i with InvalidParameterValue", async (DelaySeconds) => {
    const QueueUrl = await newQueue(sqs, "delay-range");
    const error = await expectSqsError(
      sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x", DelaySeconds })),
      "InvalidParameterValue",
    );
    expect(error.message).toMatch(new RegExp(`^Value ${DelaySeconds} for parameter DelaySeconds is invalid\\. Reason: `));
    expect(await messageCounts(sqs, QueueUrl)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
  });
});
