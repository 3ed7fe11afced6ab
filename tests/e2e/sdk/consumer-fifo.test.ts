import { describe, expect, it } from "vitest";
import { Consumer } from "../../../sdk/consumer.js";
import { Producer } from "../../../sdk/producer.js";
import { createFifoQueue, delay, sluice, until } from "./sdk-helpers.js";

const GROUPS = 4;
const PER_GROUP = 10;
const HIGH_THROUGHPUT = { DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId" };

// Once on one object, once on 4 partitions in high-throughput mode (groups hashed to partitions).
describe.each([1, 4])("a FIFO queue of %i partition(s)", (partitions) => {
  it("keeps FIFO order within each group while groups run in parallel", async () => {
    const sqs = sluice();
    const attributes = { ContentBasedDeduplication: "true", ...(partitions > 1 ? HIGH_THROUGHPUT : {}) };
    const queueUrl = await createFifoQueue(sqs, "sdk-fifo", attributes, partitions > 1 ? partitions : undefined);
    // Interleaved: g0/0, g1/0, g2/0, g3/0, g0/1, …
    const messages = Array.from({ length: GROUPS * PER_GROUP }, (_, i) => ({
      body: `g${i % GROUPS}/${Math.floor(i / GROUPS)}`,
      groupId: `g${i % GROUPS}`,
    }));
    await new Producer({ client: sqs, queueUrl }).send(messages);

    const order = new Map<string, number[]>();
    const runningPerGroup = new Map<string, number>();
    let running = 0;
    let maxRunning = 0;
    let overlapInGroup = false;
    let handled = 0;
    const consumer = new Consumer({
      client: sqs,
      queueUrl,
      concurrency: 8,
      waitTimeSeconds: 1,
      handleMessage: async (message) => {
        const group = message.systemAttributes.MessageGroupId!;
        const inGroup = (runningPerGroup.get(group) ?? 0) + 1;
        runningPerGroup.set(group, inGroup);
        overlapInGroup ||= inGroup > 1;
        maxRunning = Math.max(maxRunning, ++running);
        await delay(5 + Math.random() * 15);
        order.set(group, [...(order.get(group) ?? []), Number(message.body.split("/")[1])]);
        runningPerGroup.set(group, inGroup - 1);
        running--;
        handled++;
      },
    });
    consumer.start();
    await until(() => handled === GROUPS * PER_GROUP, 20_000);
    await consumer.stop();

    const expected = Array.from({ length: PER_GROUP }, (_, i) => i);
    for (let g = 0; g < GROUPS; g++) expect(order.get(`g${g}`)).toEqual(expected);
    expect(overlapInGroup).toBe(false);
    expect(maxRunning).toBeGreaterThan(1);
  });
});
