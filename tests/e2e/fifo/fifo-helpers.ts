import { CreateQueueCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { uniqueName } from "../clients.js";

/** Creates a FIFO queue with the given extra attributes and returns its URL. */
export async function createFifoQueue(
  sqs: SQSClient,
  attributes: Record<string, string> = {},
  prefix = "fifo",
): Promise<string> {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${uniqueName(prefix)}.fifo`,
      Attributes: { FifoQueue: "true", ...attributes },
    }),
  );
  return QueueUrl!;
}

/** Asserts that `promise` rejects with the given SQS error shape name and returns the error. */
export async function sqsError(promise: Promise<unknown>): Promise<{ name: string; message: string; Code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; message: string; Code?: string };
  }
  throw new Error("expected the request to fail");
}
