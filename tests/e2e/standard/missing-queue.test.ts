/** Every action on a queue URL that names no queue reports QueueDoesNotExist. */
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
  UntagQueueCommand,
} from "@aws-sdk/client-sqs";
import { beforeAll, describe, expect, it } from "vitest";
import { awsClient } from "../clients.js";
import { expectSqsError, missingQueueUrl, newQueue } from "./standard-helpers.js";

const sqs = awsClient();
let QueueUrl: string;
/** A genuine receipt handle of another queue, so only the queue's absence can fail the request. */
let ReceiptHandle: string;

beforeAll(async () => {
  const real = await newQueue(sqs, "real");
  await sqs.send(new SendMessageCommand({ QueueUrl: real, MessageBody: "x" }));
  ReceiptHandle = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: real }))).Messages![0]!.ReceiptHandle!;
  QueueUrl = missingQueueUrl(real);
});

const ACTIONS: [string, () => Promise<unknown>][] = [
  ["GetQueueAttributes", () => sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }))],
  ["SetQueueAttributes", () => sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { DelaySeconds: "1" } }))],
  ["DeleteQueue", () => sqs.send(new DeleteQueueCommand({ QueueUrl }))],
  ["PurgeQueue", () => sqs.send(new PurgeQueueCommand({ QueueUrl }))],
  ["SendMessage", () => sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x" }))],
  [
    "SendMessageBatch",
    () => sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: "a", MessageBody: "x" }] })),
  ],
  ["ReceiveMessage", () => sqs.send(new ReceiveMessageCommand({ QueueUrl }))],
  ["ReceiveMessage with a long poll", () => sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }))],
  ["DeleteMessage", () => sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle }))],
  [
    "DeleteMessageBatch",
    () => sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: [{ Id: "a", ReceiptHandle }] })),
  ],
  [
    "ChangeMessageVisibility",
    () => sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout: 5 })),
  ],
  [
    "ChangeMessageVisibilityBatch",
    () =>
      sqs.send(
        new ChangeMessageVisibilityBatchCommand({ QueueUrl, Entries: [{ Id: "a", ReceiptHandle, VisibilityTimeout: 5 }] }),
      ),
  ],
  ["TagQueue", () => sqs.send(new TagQueueCommand({ QueueUrl, Tags: { a: "b" } }))],
  ["UntagQueue", () => sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: ["a"] }))],
  ["ListQueueTags", () => sqs.send(new ListQueueTagsCommand({ QueueUrl }))],
  ["ListDeadLetterSourceQueues", () => sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl }))],
];

describe("a queue that does not exist", () => {
  it.each(ACTIONS)("%s reports QueueDoesNotExist", async (_, request) => {
    const error = await expectSqsError(request(), "QueueDoesNotExist");
    expect(error.message).toBe("The specified queue does not exist.");
  });

  it("a batch whose every entry is invalid still reports QueueDoesNotExist, not per-entry failures", async () => {
    await expectSqsError(
      sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: "a", MessageBody: "nul \u0000" }] })),
      "QueueDoesNotExist",
    );
    await expectSqsError(
      sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl,
          Entries: [{ Id: "a", ReceiptHandle, VisibilityTimeout: 43_201 }],
        }),
      ),
      "QueueDoesNotExist",
    );
  });

  it("a queue URL that cannot name a queue reports QueueDoesNotExist", async () => {
    for (const url of [`${QueueUrl}/extra/segments/x y`, "not a url", "https://example.com/"]) {
      await expectSqsError(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "x" })), "QueueDoesNotExist");
    }
  });
});
