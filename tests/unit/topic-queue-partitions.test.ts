/**
 * A topic's deliveries to a partitioned queue (durable-objects/topic/queue-delivery.ts, fanout.ts)
 * with the queue replaced by a recorder: each delivery goes to the partition its group or send id
 * picks among the count its first try used, and a retry after the count grew goes there again,
 * so the partition that holds the first try's send id recognises it.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { fnv1a, groupPartition } from "../../durable-objects/queue/partition-routing.js";
import type { NewMessage, QueueSummary } from "../../durable-objects/queue/types.js";
import { deliveryPartition, type QueueSink } from "../../durable-objects/topic/queue-delivery.js";
import type { TopicObject } from "../../durable-objects/topic/topic-object.js";
import { ok } from "../../sdk/protocol/index.js";

const ACCOUNT = "000000000000";
const QUEUE_ARN = `arn:aws:sqs:us-east-1:${ACCOUNT}:spread`;

/** A queue of `count` partitions whose partition `failing` throws on its first send (a transient failure). */
function recordingQueue(topicArn: string, failing: number) {
  const state = { count: 2, failed: false, sends: [] as { partition: number; sendId: string; body: string }[] };
  const summary: QueueSummary = {
    name: "spread",
    fifo: false,
    arn: QUEUE_ARN,
    attributes: {
      Policy: JSON.stringify({
        Statement: [{ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: QUEUE_ARN, Condition: { ArnEquals: { "aws:SourceArn": topicArn } } }],
      }),
    },
  };
  const sink: QueueSink = {
    describe: async () => ok(summary),
    partitions: async () => state.count,
    send: async (partition: number, messages: NewMessage[]) => {
      if (partition === failing && !state.failed) {
        state.failed = true;
        throw new Error("partition restarting");
      }
      for (const m of messages) state.sends.push({ partition, sendId: m.sendId!, body: m.body });
      return ok(messages.map(() => ok({ messageId: crypto.randomUUID(), md5Body: "" })));
    },
  };
  return { state, sink };
}

describe("topic deliveries to a partitioned queue", () => {
  it("place a message by its group, else by its send id, among the count given", () => {
    expect(deliveryPartition({ sendId: "abc", partitions: 1 })).toBe(0);
    expect(deliveryPartition({ sendId: "abc", groupId: "g7", partitions: 4 })).toBe(groupPartition("g7", 4));
    expect(deliveryPartition({ sendId: "abc", partitions: 4 })).toBe(fnv1a("abc") % 4);
    const spread = new Set(Array.from({ length: 40 }, (_, i) => deliveryPartition({ sendId: `s${i}`, partitions: 4 })));
    expect(spread.size).toBe(4);
  });

  it("retry where the first try went after the partition count grew", async () => {
    const name = `spread-${crypto.randomUUID()}`;
    const topicArn = `arn:aws:sns:us-east-1:${ACCOUNT}:${name}`;
    const stub = env.TOPIC.get(env.TOPIC.idFromName(`${ACCOUNT}/${name}`));
    const { state, sink } = recordingQueue(topicArn, 1);
    await runInDurableObject(stub, async (instance) => {
      // The topic object's bindings are its own type, not the test Env's: typed by hand.
      const topic = instance as unknown as TopicObject;
      (topic as unknown as { queueSink(arn: string): QueueSink }).queueSink = () => sink;
      expect(topic.create({ name, accountId: ACCOUNT, region: "us-east-1", attributes: {}, tags: {} }).ok).toBe(true);
      const subscribed = topic.subscribe({
        protocol: "sqs",
        endpoint: QUEUE_ARN,
        attributes: { RawMessageDelivery: "true" },
        owner: ACCOUNT,
        confirmed: true,
        origin: "https://sluice.example",
      });
      expect(subscribed.ok).toBe(true);
      const bodies = Array.from({ length: 20 }, (_, i) => `m${i}`);
      expect((await topic.publish(bodies.map((message) => ({ message, origin: "https://sluice.example" })))).ok).toBe(true);

      await topic.alarm();
      expect(state.failed).toBe(true);
      const first = new Map(state.sends.map((s) => [s.body, s]));
      expect(first.size).toBeGreaterThan(0);
      expect(first.size).toBeLessThan(bodies.length);
      // Two partitions then, eight now: the retry still goes to the partition the first try picked.
      state.count = 8;
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await topic.alarm();
      const bySendId = new Map<string, Set<number>>();
      for (const s of state.sends) bySendId.set(s.sendId, new Set([...(bySendId.get(s.sendId) ?? []), s.partition]));
      expect(new Set(state.sends.map((s) => s.body))).toEqual(new Set(bodies));
      for (const [sendId, partitions] of bySendId) expect([...partitions]).toEqual([fnv1a(sendId) % 2]);
      expect(new Set(state.sends.map((s) => s.partition))).toEqual(new Set([0, 1]));
    });
  });
});
