/** PurgeQueue: removes every message sent before it, once per 60 seconds. */
import { PurgeQueueCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient } from "../clients.js";
import { expectSqsError, messageCounts, newQueue, queueNameOf } from "./standard-helpers.js";

const sqs = awsClient();

describe("PurgeQueue", () => {
  it("removes visible, in-flight and delayed messages, and keeps messages sent afterwards", async () => {
    const QueueUrl = await newQueue(sqs, "purge");
    for (const MessageBody of ["a", "b", "c"]) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "delayed", DelaySeconds: 600 }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1 }));
    expect(await messageCounts(sqs, QueueUrl)).toEqual({ visible: 2, notVisible: 1, delayed: 1 });

    await sqs.send(new PurgeQueueCommand({ QueueUrl }));
    expect(await messageCounts(sqs, QueueUrl)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();

    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "after" }));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(Messages?.map((m) => m.Body)).toEqual(["after"]);
  });

  it("refuses a second purge within 60 seconds with PurgeQueueInProgress (403)", async () => {
    const QueueUrl = await newQueue(sqs, "purge-twice");
    await sqs.send(new PurgeQueueCommand({ QueueUrl }));
    const error = await expectSqsError(sqs.send(new PurgeQueueCommand({ QueueUrl })), "PurgeQueueInProgress");
    expect(error.message).toBe(`Only one PurgeQueue operation on ${queueNameOf(QueueUrl)} is allowed every 60 seconds.`);
  });

  it("applies the 60-second rule per queue", async () => {
    const first = await newQueue(sqs, "purge-a");
    const second = await newQueue(sqs, "purge-b");
    await sqs.send(new PurgeQueueCommand({ QueueUrl: first }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl: second }));
  });
});
