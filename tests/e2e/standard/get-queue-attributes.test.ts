/** GetQueueAttributes on a standard queue: the exact AWS key set, selection by name, live counters. */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type QueueAttributeName,
} from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient } from "../clients.js";
import { expectSqsError, messageCounts, newQueue, queueNameOf } from "./standard-helpers.js";

const sqs = awsClient();

/** What AWS returns for All on a fresh standard queue (AWS snapshot). */
const STANDARD_ALL_KEYS = [
  "ApproximateNumberOfMessages",
  "ApproximateNumberOfMessagesDelayed",
  "ApproximateNumberOfMessagesNotVisible",
  "CreatedTimestamp",
  "DelaySeconds",
  "LastModifiedTimestamp",
  "MaximumMessageSize",
  "MessageRetentionPeriod",
  "QueueArn",
  "ReceiveMessageWaitTimeSeconds",
  "SqsManagedSseEnabled",
  "VisibilityTimeout",
];

describe("GetQueueAttributes", () => {
  it("returns exactly the AWS attribute set, with AWS's defaults, for All on a fresh standard queue", async () => {
    const before = Math.floor(Date.now() / 1000);
    const QueueUrl = await newQueue(sqs, "all");
    const after = Math.ceil(Date.now() / 1000);
    const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }));
    expect(Object.keys(Attributes).sort()).toEqual(STANDARD_ALL_KEYS);
    const [, account, name] = new URL(QueueUrl).pathname.split("/");
    expect(Attributes).toMatchObject({
      ApproximateNumberOfMessages: "0",
      ApproximateNumberOfMessagesDelayed: "0",
      ApproximateNumberOfMessagesNotVisible: "0",
      DelaySeconds: "0",
      MaximumMessageSize: "1048576",
      MessageRetentionPeriod: "345600",
      QueueArn: `arn:aws:sqs:us-east-1:${account}:${name}`,
      ReceiveMessageWaitTimeSeconds: "0",
      SqsManagedSseEnabled: "true",
      VisibilityTimeout: "30",
    });
    // Timestamps are epoch seconds.
    for (const key of ["CreatedTimestamp", "LastModifiedTimestamp"] as const) {
      expect(Attributes[key]).toMatch(/^\d+$/);
      expect(Number(Attributes[key])).toBeGreaterThanOrEqual(before - 1);
      expect(Number(Attributes[key])).toBeLessThanOrEqual(after + 1);
    }
  });

  it("returns only the attributes asked for by name", async () => {
    const QueueUrl = await newQueue(sqs, "named", { VisibilityTimeout: "12" });
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["VisibilityTimeout", "QueueArn"] }),
    );
    expect(Object.keys(Attributes ?? {}).sort()).toEqual(["QueueArn", "VisibilityTimeout"]);
    expect(Attributes!.VisibilityTimeout).toBe("12");
    expect(Attributes!.QueueArn).toMatch(new RegExp(`:${queueNameOf(QueueUrl)}$`));
  });

  it("returns no Attributes when no names are asked for", async () => {
    const QueueUrl = await newQueue(sqs, "none");
    const result = await sqs.send(new GetQueueAttributesCommand({ QueueUrl }));
    expect(result.Attributes).toBeUndefined();
  });

  it("does not list attributes that are not set, even when asked for by name", async () => {
    const QueueUrl = await newQueue(sqs, "unset");
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["Policy", "RedrivePolicy", "DelaySeconds"] }),
    );
    expect(Attributes).toEqual({ DelaySeconds: "0" });
  });

  it("rejects an unknown attribute name with InvalidAttributeName", async () => {
    const QueueUrl = await newQueue(sqs, "unknown");
    const error = await expectSqsError(
      sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["VisibilityTimeout", "Colour" as QueueAttributeName] }),
      ),
      "InvalidAttributeName",
    );
    expect(error.message).toBe("Unknown Attribute Colour.");
  });

  it("moves the message counters with sends, delays, receives, visibility changes and deletes", async () => {
    const QueueUrl = await newQueue(sqs, "counters");
    expect(await messageCounts(sqs, QueueUrl)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });

    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "one" }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "two" }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "later", DelaySeconds: 600 }));
    expect(await messageCounts(sqs, QueueUrl)).toEqual({ visible: 2, notVisible: 0, delayed: 1 });

    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1 }));
    expect(Messages).toHaveLength(1);
    expect(await messageCounts(sqs, QueueUrl)).toEqual({ visible: 1, notVisible: 1, delayed: 1 });

    const ReceiptHandle = Messages[0]!.ReceiptHandle!;
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout: 0 }));
    expect(await messageCounts(sqs, QueueUrl)).toEqual({ visible: 2, notVisible: 0, delayed: 1 });

    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1 }));
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: again.Messages![0]!.ReceiptHandle }));
    expect(await messageCounts(sqs, QueueUrl)).toEqual({ visible: 1, notVisible: 0, delayed: 1 });
  });
});
