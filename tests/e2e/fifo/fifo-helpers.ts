import { CreateQueueCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { describe, expect } from "vitest";
import { endpoint, uniqueName } from "../clients.js";
import { signedFetch } from "../signed-fetch.js";

/**
 * Where a suite's FIFO queues live: one queue object, or several in SQS's high-throughput mode
 * (DeduplicationScope=messageGroup, FifoThroughputLimit=perMessageGroupId), where each message
 * group is hashed to one partition (durable-objects/partitions.md).
 */
export interface FifoLayout {
  title: string;
  partitions: number;
}

export const ONE_OBJECT: FifoLayout = { title: "one object", partitions: 1 };
export const FIFO_LAYOUTS: FifoLayout[] = [ONE_OBJECT, { title: "4 partitions, high throughput", partitions: 4 }];

const HIGH_THROUGHPUT = { DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId" };

/**
 * Defines the tests once per layout: everything that holds for a FIFO queue in one object must
 * hold, per message group, for a partitioned high-throughput one. Tests about queue-wide
 * deduplication or a FIFO queue outside high-throughput mode stay outside.
 */
export function overFifoLayouts(title: string, define: (layout: FifoLayout) => void): void {
  for (const layout of FIFO_LAYOUTS) describe(`${title} (${layout.title})`, () => define(layout));
}

/** Creates a FIFO queue with the given extra attributes, in `layout`, and returns its URL. */
export async function createFifoQueue(
  sqs: SQSClient,
  attributes: Record<string, string> = {},
  prefix = "fifo",
  layout: FifoLayout = ONE_OBJECT,
): Promise<string> {
  const name = `${uniqueName(prefix)}.fifo`;
  const partitioned = layout.partitions > 1;
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: { FifoQueue: "true", ...(partitioned ? HIGH_THROUGHPUT : {}), ...attributes },
      ...(partitioned ? { tags: { "sluice:partitions": String(layout.partitions) } } : {}),
    }),
  );
  // A test that ran on one object while meaning to run on several would prove nothing.
  if (partitioned) expect(await partitionCount(name)).toBe(layout.partitions);
  return QueueUrl!;
}

/** How many partitions the queue has, as the REST queue resource reports it. */
export async function partitionCount(name: string): Promise<number> {
  const response = await signedFetch(`${endpoint()}/v1/queues/${encodeURIComponent(name)}`);
  return ((await response.json()) as { partitions: number }).partitions;
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
