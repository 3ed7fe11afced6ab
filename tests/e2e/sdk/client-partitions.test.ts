/**
 * Partitioned queues through the SDK: `partitions` at createQueue is the `sluice:partitions` tag,
 * and the answer reports how many partitions the queue really has.
 */
import { describe, expect, it } from "vitest";
import { SluiceError } from "../../../sdk/errors.js";
import { uniqueName } from "../clients.js";
import { countingFetch, sluice } from "./sdk-helpers.js";

const sqs = sluice();
const HIGH_THROUGHPUT = { FifoQueue: "true", DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId" };

describe("SluiceClient partitions", () => {
  it("creates a partitioned standard queue, tagged, and reports its count", async () => {
    const queueName = uniqueName("sdk-part");
    const created = await sqs.createQueue({ queueName, partitions: 4, tags: { team: "core" } });
    expect(created).toEqual({ queueUrl: expect.stringMatching(new RegExp(`/${queueName}$`)), partitions: 4 });
    await expect(sqs.listQueueTags({ queueUrl: created.queueUrl })).resolves.toEqual({ tags: { team: "core", "sluice:partitions": "4" } });
    // Rotated sends land in several partitions; the queue still answers as one.
    for (let i = 0; i < 8; i++) await sqs.sendMessage({ queueUrl: created.queueUrl, body: `m${i}` });
    const { attributes } = await sqs.getQueueAttributes({ queueUrl: created.queueUrl, attributeNames: ["ApproximateNumberOfMessages"] });
    expect(attributes.ApproximateNumberOfMessages).toBe("8");
  });

  it("reports the count the queue has: 1 for a FIFO queue outside high-throughput mode, its own for an existing queue", async () => {
    const fifo = await sqs.createQueue({ queueName: `${uniqueName("sdk-part-fifo")}.fifo`, attributes: { FifoQueue: "true" }, partitions: 4 });
    expect(fifo.partitions).toBe(1);
    const fast = await sqs.createQueue({ queueName: `${uniqueName("sdk-part-ht")}.fifo`, attributes: HIGH_THROUGHPUT, partitions: 4 });
    expect(fast.partitions).toBe(4);
    const queueName = uniqueName("sdk-part-again");
    await sqs.createQueue({ queueName, partitions: 2 });
    await expect(sqs.createQueue({ queueName, partitions: 3 })).resolves.toMatchObject({ partitions: 2 });
  });

  it("costs no extra call when partitions is not asked for", async () => {
    const { fetch, calls } = countingFetch();
    const counted = sluice({ fetch });
    await expect(counted.createQueue({ queueName: uniqueName("sdk-part-none") })).resolves.toEqual({ queueUrl: expect.any(String) });
    expect([...calls]).toEqual([["CreateQueue", 1]]);
  });

  it("refuses a count the tag refuses, with the server's code, and a field that disagrees with the tag", async () => {
    for (const partitions of [0, 65, 2.5]) {
      const error = await sqs.createQueue({ queueName: uniqueName("sdk-part-bad"), partitions }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SluiceError);
      expect(error).toMatchObject({ code: "InvalidParameterValue", status: 400 });
      expect((error as Error).message).toContain("sluice:partitions");
    }
    const { fetch, calls } = countingFetch();
    const disagreeing = sluice({ fetch }).createQueue({ queueName: uniqueName("sdk-part-bad"), partitions: 2, tags: { "sluice:partitions": "3" } });
    await expect(disagreeing).rejects.toMatchObject({ name: "SluiceError", code: "InvalidParameterValue" });
    expect(calls.size).toBe(0);
  });
});
