import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { uniqueName } from "../clients.js";

export interface CreatedQueue {
  url: string;
  arn: string;
}

export async function createQueue(
  sqs: SQSClient,
  prefix: string,
  attributes: Record<string, string> = {},
  fifo = false,
  partitions = 1,
): Promise<CreatedQueue> {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: fifo ? `${uniqueName(prefix)}.fifo` : uniqueName(prefix),
      Attributes: fifo ? { FifoQueue: "true", ...attributes } : attributes,
      // A queue over several objects (durable-objects/partitions.md); a FIFO one in high-throughput mode only.
      tags: partitions > 1 ? { "sluice:partitions": String(partitions) } : undefined,
    }),
  );
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

export const redrive = (dlq: CreatedQueue, maxReceiveCount: number | string) =>
  JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount });

export async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; message: string };
  }
  throw new Error("expected the request to fail");
}

/** Messages in a queue, visible or not. */
export async function countMessages(sqs: SQSClient, queue: CreatedQueue): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queue.url,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible);
}

/**
 * Sends `n` messages to a source with maxReceiveCount 1 and receives until all are dead letters;
 * both queues have `partitions` partitions.
 */
export async function fillDeadLetters(sqs: SQSClient, n: number, partitions = 1): Promise<{ dlq: CreatedQueue; source: CreatedQueue }> {
  const dlq = await createQueue(sqs, "dlq", {}, false, partitions);
  const source = await createQueue(sqs, "src", { RedrivePolicy: redrive(dlq, 1), VisibilityTimeout: "0" }, false, partitions);
  for (let i = 0; i < n; i += 10) {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: source.url,
        Entries: Array.from({ length: Math.min(10, n - i) }, (_, j) => ({ Id: `m${j}`, MessageBody: `body-${i + j}` })),
      }),
    );
  }
  // First receives deliver each message once; the following ones move them to the DLQ.
  for (let moved = 0; moved < n; moved = await countMessages(sqs, dlq)) {
    await Promise.all(
      Array.from({ length: 8 }, () => sqs.send(new ReceiveMessageCommand({ QueueUrl: source.url, MaxNumberOfMessages: 10 }))),
    );
  }
  return { dlq, source };
}

export async function listTasks(sqs: SQSClient, dlq: CreatedQueue) {
  const { Results = [] } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn, MaxResults: 10 }));
  return Results;
}

/** Polls the latest move task until it is no longer running (or `timeoutMs` passes). */
export async function settledTask(sqs: SQSClient, dlq: CreatedQueue, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let [task] = await listTasks(sqs, dlq);
  while ((task?.Status === "RUNNING" || task?.Status === "CANCELLING") && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    [task] = await listTasks(sqs, dlq);
  }
  return task;
}
