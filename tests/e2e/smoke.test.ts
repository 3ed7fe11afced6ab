import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { expect, it } from "vitest";
import { awsClient, uniqueName } from "./clients.js";

it("sends, receives and deletes a message through the AWS SDK", async () => {
  const sqs = awsClient();
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName("smoke") }));
  const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "hello" }));
  expect(sent.MD5OfMessageBody).toBe("5d41402abc4b2a76b9719d911017c592");
  const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
  expect(received.Messages?.[0]?.Body).toBe("hello");
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: received.Messages![0]!.ReceiptHandle }));
});
