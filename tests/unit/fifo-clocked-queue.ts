/** A FIFO queue on the injected clock (ClockedQueue names its queues without the .fifo suffix). */
import { ClockedQueue } from "./queue-clock.js";

export async function createFifoQueue(prefix: string, attributes: Record<string, string> = {}): Promise<ClockedQueue> {
  const queue = new ClockedQueue(`${prefix}-${crypto.randomUUID()}.fifo`);
  await queue.installClock();
  await queue.ok("CreateQueue", { QueueName: queue.name, Attributes: { FifoQueue: "true", ...attributes } });
  return queue;
}

export interface FifoSent {
  MessageId: string;
  SequenceNumber: string;
}

export function sendFifo(queue: ClockedQueue, body: string, dedupId: string, groupId = "g"): Promise<FifoSent> {
  return queue.ok<FifoSent>("SendMessage", { MessageBody: body, MessageGroupId: groupId, MessageDeduplicationId: dedupId });
}
