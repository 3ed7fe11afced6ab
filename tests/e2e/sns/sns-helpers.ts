/** SNS clients pointed at the locally started Worker, and the queue Policy that lets a topic deliver. */
import { SNSClient } from "@aws-sdk/client-sns";
import { expect } from "vitest";
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SetQueueAttributesCommand, type Message, type SQSClient } from "@aws-sdk/client-sqs";
import { MAIN_KEY, OTHER_KEY } from "../../keys.js";
import { endpoint, uniqueName } from "../clients.js";

export function snsClient(key: { accessKeyId: string; secretAccessKey: string } = MAIN_KEY): SNSClient {
  return new SNSClient({
    endpoint: endpoint(),
    region: "us-east-1",
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
    maxAttempts: 1,
  });
}

export const otherAccountSns = () => snsClient(OTHER_KEY);

/** The statement every SNS-to-SQS guide shows: sns.amazonaws.com may send, for this topic only. */
export function topicDeliveryPolicy(queueArn: string, topicArn: string, operator = "ArnEquals"): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "topic-to-queue",
        Effect: "Allow",
        Principal: { Service: "sns.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: queueArn,
        Condition: { [operator]: { "aws:SourceArn": topicArn } },
      },
    ],
  });
}

export interface TestQueue {
  url: string;
  arn: string;
}

/** A queue (FIFO when `fifo`) whose Policy lets `topicArn` deliver to it, unless `policy` is false. */
export async function subscribedQueue(
  sqs: SQSClient,
  topicArn: string,
  options: { fifo?: boolean; policy?: boolean; prefix?: string; attributes?: Record<string, string> } = {},
): Promise<TestQueue> {
  const name = uniqueName(options.prefix ?? "sns-q") + (options.fifo ? ".fifo" : "");
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: { ...(options.fifo ? { FifoQueue: "true" } : {}), ...options.attributes } }),
  );
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  const arn = Attributes!.QueueArn!;
  if (options.policy !== false) {
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: topicDeliveryPolicy(arn, topicArn) } }));
  }
  return { url: QueueUrl!, arn };
}

/**
 * Receives until `count` messages arrived (or `timeoutMs` passed). With `remove`, each is deleted
 * once received (a FIFO queue hands out no more of a group while one of it is in flight).
 */
export async function receiveAll(
  sqs: SQSClient,
  url: string,
  count: number,
  timeoutMs = 10_000,
  extra: { visibility?: number; remove?: boolean } = {},
): Promise<Message[]> {
  const got: Message[] = [];
  const deadline = Date.now() + timeoutMs;
  while (got.length < count && Date.now() < deadline) {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: extra.visibility ?? 60,
        MessageAttributeNames: ["All"],
        MessageSystemAttributeNames: ["All"],
      }),
    );
    got.push(...(Messages ?? []));
    if (extra.remove && Messages?.length) {
      await sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: url, Entries: Messages.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle! })) }),
      );
    }
  }
  return got;
}

/** The SDK's error for an SNS error response: its class name, HTTP status and (optionally) message. */
export async function expectSnsError(promise: Promise<unknown>, name: string, status: number, message?: string | RegExp): Promise<void> {
  const error = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as { name: string; message: string; $metadata: { httpStatusCode?: number } } | undefined;
  expect(error, `expected ${name}`).toBeDefined();
  expect(error!.name).toBe(name);
  expect(error!.$metadata.httpStatusCode).toBe(status);
  if (message !== undefined) expect(error!.message).toMatch(message);
}
