/**
 * A queue name is a valid QueueUrl (recorded against AWS): `QueueUrl: "my-queue"` resolves the
 * queue in the caller's account, for every action that takes a QueueUrl.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ListQueueTagsCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
  UntagQueueCommand,
} from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient, uniqueName } from "../clients.js";
import { expectSqsError, newQueue } from "./standard-helpers.js";

const sqs = awsClient();
const nameOf = (url: string) => url.split("/").pop()!;

describe("a queue name as QueueUrl", () => {
  it("works for every message and queue action", async () => {
    const url = await newQueue(sqs, "by-name");
    const QueueUrl = nameOf(url);

    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "one" }));
    const batch = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: "a", MessageBody: "two" }] }));
    expect(batch.Successful).toHaveLength(1);
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 30 }),
    );
    expect(Messages.map((m) => m.Body).sort()).toEqual(["one", "two"]);
    const [first, second] = Messages;
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: first!.ReceiptHandle, VisibilityTimeout: 60 }));
    const changed = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl,
        Entries: [{ Id: "c", ReceiptHandle: second!.ReceiptHandle, VisibilityTimeout: 60 }],
      }),
    );
    expect(changed.Successful).toHaveLength(1);
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first!.ReceiptHandle }));
    const deleted = await sqs.send(
      new DeleteMessageBatchCommand({ QueueUrl, Entries: [{ Id: "d", ReceiptHandle: second!.ReceiptHandle }] }),
    );
    expect(deleted.Successful).toHaveLength(1);

    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { DelaySeconds: "3" } }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["DelaySeconds"] }));
    expect(Attributes).toEqual({ DelaySeconds: "3" });
    // The full URL sees what the name changed: the same queue.
    const byUrl = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["DelaySeconds"] }));
    expect(byUrl.Attributes).toEqual({ DelaySeconds: "3" });

    await sqs.send(new TagQueueCommand({ QueueUrl, Tags: { team: "a", drop: "me" } }));
    await sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: ["drop"] }));
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags).toEqual({ team: "a" });
    await sqs.send(new PurgeQueueCommand({ QueueUrl }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl }));
    const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: QueueUrl }));
    expect(QueueUrls).toEqual([]);
  });

  it("answers QueueDoesNotExist for the name of no queue", async () => {
    await expectSqsError(sqs.send(new SendMessageCommand({ QueueUrl: uniqueName("nowhere"), MessageBody: "x" })), "QueueDoesNotExist");
  });
});
