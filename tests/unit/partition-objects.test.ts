/**
 * A partitioned queue's objects, looked at directly (durable-objects/partitions.md): what the
 * API cannot show, that every partition object is made, follows attribute changes, and is purged
 * and deleted with the queue.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { partitionObjectName } from "../../worker/queue-url.js";
import { sqsOk } from "./sqs-call.js";

const ACCOUNT = "000000000000";

const partition = (name: string, k: number) =>
  env.QUEUE.get(env.QUEUE.idFromName(partitionObjectName({ accountId: ACCOUNT, name }, k)));

async function partitionedQueue(partitions: number) {
  const name = `parts-${crypto.randomUUID()}`;
  const { QueueUrl } = await sqsOk<{ QueueUrl: string }>("CreateQueue", {
    QueueName: name,
    tags: { "sluice:partitions": String(partitions) },
  });
  return { name, QueueUrl };
}

async function visibleIn(name: string, k: number): Promise<number> {
  const outcome = await partition(name, k).getAttributes(["ApproximateNumberOfMessages"]);
  if (!outcome.ok) throw new Error(outcome.error.code);
  return Number(outcome.value.ApproximateNumberOfMessages);
}

describe("partition objects", () => {
  it("are made at CreateQueue and when the count is raised, with the queue's attributes", async () => {
    const { name, QueueUrl } = await partitionedQueue(2);
    await sqsOk("SetQueueAttributes", { QueueUrl, Attributes: { VisibilityTimeout: "77" } });
    expect((await partition(name, 2).exists()).ok).toBe(false);
    await sqsOk("TagQueue", { QueueUrl, Tags: { "sluice:partitions": "3" } });
    for (const k of [0, 1, 2]) {
      const described = await partition(name, k).describe();
      expect(described.ok && described.value.attributes.VisibilityTimeout).toBe("77");
      expect(described.ok && described.value.name).toBe(name);
    }
    expect((await partition(name, 3).exists()).ok).toBe(false);
  });

  it("share the sends, are all purged, and are all deleted with the queue", async () => {
    const { name, QueueUrl } = await partitionedQueue(4);
    for (let i = 0; i < 8; i++) await sqsOk("SendMessage", { QueueUrl, MessageBody: `m${i}` });
    const counts = await Promise.all([0, 1, 2, 3].map((k) => visibleIn(name, k)));
    expect(counts).toEqual([2, 2, 2, 2]);

    await sqsOk("PurgeQueue", { QueueUrl });
    expect(await Promise.all([0, 1, 2, 3].map((k) => visibleIn(name, k)))).toEqual([0, 0, 0, 0]);

    await sqsOk("DeleteQueue", { QueueUrl });
    for (const k of [0, 1, 2, 3]) {
      const exists = await partition(name, k).exists();
      expect(exists.ok ? "exists" : exists.error.code).toBe("QueueDoesNotExist");
    }
  });
});
