/** DeleteQueue: the queue is gone at once, and its name is held for 60 seconds. */
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient } from "../clients.js";
import { expectSqsError, newQueue, queueNameOf } from "./standard-helpers.js";

const sqs = awsClient();

describe("DeleteQueue", () => {
  it("deletes the queue so that it no longer resolves, lists or accepts messages", async () => {
    const QueueUrl = await newQueue(sqs, "deleted");
    const QueueName = queueNameOf(QueueUrl);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "goes with the queue" }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl }));

    const error = await expectSqsError(sqs.send(new GetQueueUrlCommand({ QueueName })), "QueueDoesNotExist");
    expect(error.message).toBe("The specified queue does not exist.");
    await expectSqsError(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x" })), "QueueDoesNotExist");
    const { QueueUrls } = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: QueueName }));
    expect(QueueUrls ?? []).not.toContain(QueueUrl);
  });

  it("reports QueueDoesNotExist when the queue is deleted a second time", async () => {
    const QueueUrl = await newQueue(sqs, "twice");
    await sqs.send(new DeleteQueueCommand({ QueueUrl }));
    await expectSqsError(sqs.send(new DeleteQueueCommand({ QueueUrl })), "QueueDoesNotExist");
  });

  it("refuses to create a queue of the same name within 60 seconds with QueueDeletedRecently", async () => {
    const QueueUrl = await newQueue(sqs, "recently");
    await sqs.send(new DeleteQueueCommand({ QueueUrl }));
    const error = await expectSqsError(
      sqs.send(new CreateQueueCommand({ QueueName: queueNameOf(QueueUrl) })),
      "QueueDeletedRecently",
    );
    expect(error.message).toBe(
      "You must wait 60 seconds after deleting a queue before you can create another with the same name.",
    );
    // Still refused, and still gone: the failed create did not bring it back.
    await expectSqsError(sqs.send(new GetQueueUrlCommand({ QueueName: queueNameOf(QueueUrl) })), "QueueDoesNotExist");
  });
});
