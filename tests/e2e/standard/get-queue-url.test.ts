/** GetQueueUrl. */
import { GetQueueUrlCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient, uniqueName } from "../clients.js";
import { expectSqsError, newQueue, queueNameOf } from "./standard-helpers.js";

const sqs = awsClient();

describe("GetQueueUrl", () => {
  it("returns the URL CreateQueue returned", async () => {
    const QueueUrl = await newQueue(sqs, "url");
    const result = await sqs.send(new GetQueueUrlCommand({ QueueName: queueNameOf(QueueUrl) }));
    expect(result.QueueUrl).toBe(QueueUrl);
  });

  it("finds the queue when the owner's account id is given", async () => {
    const QueueUrl = await newQueue(sqs, "owner");
    const [, account, name] = new URL(QueueUrl).pathname.split("/");
    const result = await sqs.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }));
    expect(result.QueueUrl).toBe(QueueUrl);
  });

  it("reports QueueDoesNotExist for a name that was never created", async () => {
    const error = await expectSqsError(
      sqs.send(new GetQueueUrlCommand({ QueueName: uniqueName("never") })),
      "QueueDoesNotExist",
    );
    expect(error.message).toBe("The specified queue does not exist.");
  });

  it("matches names case-sensitively", async () => {
    const QueueUrl = await newQueue(sqs, "lower");
    await expectSqsError(
      sqs.send(new GetQueueUrlCommand({ QueueName: queueNameOf(QueueUrl).toUpperCase() })),
      "QueueDoesNotExist",
    );
  });

  it("returns a URL that queue actions accept with any host in front of its path", async () => {
    const QueueUrl = await newQueue(sqs, "any-host");
    const path = new URL(QueueUrl).pathname;
    // AWS's own URL forms: clients pass them back verbatim.
    for (const host of ["https://sqs.us-east-1.amazonaws.com", "https://queue.amazonaws.com"]) {
      const sent = await sqs.send(new SendMessageCommand({ QueueUrl: `${host}${path}`, MessageBody: host }));
      expect(sent.MessageId).toBeTruthy();
    }
  });
});
