import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
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
): Promise<CreatedQueue> {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: fifo ? `${uniqueName(prefix)}.fifo` : uniqueName(prefix),
      Attributes: fifo ? { FifoQueue: "true", ...attributes } : attributes,
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
