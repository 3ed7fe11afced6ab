/**
 * Empty receives and long polls over partitions (durable-objects/partitions.md, "Receives" and
 * "Long polls"), counted in queue-object requests by the objects themselves
 * (tests/instrumented/queue-object.ts `requestCounts`), and the wakes of a long poll parked on
 * partition 0 by messages that reach another partition straight, as another isolate's send
 * would (this isolate's hints do not know of them).
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { NewMessage } from "../../durable-objects/queue/types.js";
import { partitionObjectName } from "../../worker/queue-url.js";
import type { InstrumentedQueueObject } from "../instrumented/queue-object.js";
import { sqsOk } from "./sqs-call.js";

const ACCOUNT = "000000000000";

const partition = (name: string, k: number) =>
  env.QUEUE.get(env.QUEUE.idFromName(partitionObjectName({ accountId: ACCOUNT, name }, k))) as unknown as DurableObjectStub<InstrumentedQueueObject>;

async function queueOf(partitions: number) {
  const name = `requests-${crypto.randomUUID()}`;
  const tags = partitions > 1 ? { tags: { "sluice:partitions": String(partitions) } } : {};
  const { QueueUrl } = await sqsOk<{ QueueUrl: string }>("CreateQueue", { QueueName: name, ...tags });
  return { name, QueueUrl };
}

/** Requests served by all of a queue's partitions, per entry point, and in all. */
async function requests(name: string, partitions: number): Promise<{ total: number; calls: Record<string, number> }> {
  const calls: Record<string, number> = {};
  for (let k = 0; k < partitions; k++) {
    for (const [method, n] of Object.entries(await partition(name, k).requestCounts())) calls[method] = (calls[method] ?? 0) + n;
  }
  return { total: Object.values(calls).reduce((a, b) => a + b, 0), calls };
}

const since = (before: { calls: Record<string, number> }, after: { total: number; calls: Record<string, number> }) => {
  const calls = Object.fromEntries(
    Object.entries(after.calls).map(([m, n]) => [m, n - (before.calls[m] ?? 0)]).filter(([, n]) => (n as number) > 0),
  );
  return { total: Object.values(calls).reduce((a: number, b) => a + (b as number), 0), calls };
};

type Received = { Messages?: { Body: string; ReceiptHandle: string }[] };

/** A message put straight into partition k, bypassing the Worker (and so its hints). */
async function sendStraight(name: string, k: number, body: string): Promise<void> {
  const message: NewMessage = { body, md5Body: "md5", size: body.length, senderId: ACCOUNT };
  const outcome = await partition(name, k).send([message], false);
  if (!outcome.ok) throw new Error(outcome.error.code);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A poll woken by a message answers well before its 5 s deadline; generous for a loaded machine. */
const WAKE_LIMIT_MS = 1_500;

/** Waits (up to 2 s) until `read` answers `want`; answers the last reading. */
async function eventually<T>(read: () => Promise<T>, want: T): Promise<T> {
  let value = await read();
  for (let i = 0; i < 40 && value !== want; i++) {
    await sleep(50);
    value = await read();
  }
  return value;
}

describe("empty receives over partitions", () => {
  it("cost at most 2 object requests each on an empty 16-partition queue", async () => {
    const { name, QueueUrl } = await queueOf(16);
    // The first receive of an isolate knows nothing of the partitions and looks at all of them.
    await sqsOk("ReceiveMessage", { QueueUrl, WaitTimeSeconds: 0 });
    const before = await requests(name, 16);
    for (let i = 0; i < 32; i++) {
      expect((await sqsOk<Received>("ReceiveMessage", { QueueUrl, WaitTimeSeconds: 0 })).Messages).toBeUndefined();
    }
    const used = since(before, await requests(name, 16));
    expect(used.total, JSON.stringify(used.calls)).toBeLessThanOrEqual(2 * 32);
  });

  it("still find a message in a partition believed empty, within one probe round", async () => {
    const { name, QueueUrl } = await queueOf(16);
    await sqsOk("ReceiveMessage", { QueueUrl, WaitTimeSeconds: 0 });
    await sendStraight(name, 11, "behind the hints");
    let found: string | undefined;
    for (let i = 0; i < 16 && !found; i++) {
      found = (await sqsOk<Received>("ReceiveMessage", { QueueUrl, WaitTimeSeconds: 0 })).Messages?.[0]?.Body;
    }
    expect(found).toBe("behind the hints");
  });
});

describe("idle long polls over partitions", () => {
  for (const [partitions, most] of [
    [16, 3],
    [1, 1],
  ] as const) {
    it(`cost at most ${most} object request${most > 1 ? "s" : ""} per poll at N = ${partitions}`, async () => {
      const { name, QueueUrl } = await queueOf(partitions);
      await sqsOk("ReceiveMessage", { QueueUrl, WaitTimeSeconds: 0 });
      const before = await requests(name, partitions);
      for (let i = 0; i < 2; i++) {
        const started = Date.now();
        expect((await sqsOk<Received>("ReceiveMessage", { QueueUrl, WaitTimeSeconds: 1 })).Messages).toBeUndefined();
        expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      }
      const used = since(before, await requests(name, partitions));
      expect(used.total, JSON.stringify(used.calls)).toBeLessThanOrEqual(2 * most);
      // Every poll parked a socket, on partition 0 only.
      expect((await partition(name, 0).requestCounts()).fetch).toBeGreaterThanOrEqual(2);
      for (let k = 1; k < partitions; k++) expect((await partition(name, k).requestCounts()).fetch ?? 0).toBe(0);
    });
  }
});

describe("a long poll parked on partition 0", () => {
  it("is woken by a message that reaches any partition, also one silenced while nobody waited", async () => {
    const { name, QueueUrl } = await queueOf(16);
    await sqsOk("ReceiveMessage", { QueueUrl, WaitTimeSeconds: 0 });
    // Nobody waits: partition 5 tells partition 0 of its message and is silenced.
    await sendStraight(name, 5, "while nobody waited");
    expect(await eventually(async () => (await partition(name, 0).requestCounts()).hasMessages, 1)).toBe(1);
    const started = Date.now();
    const first = await sqsOk<Received>("ReceiveMessage", { QueueUrl, WaitTimeSeconds: 5 });
    expect(first.Messages?.[0]?.Body).toBe("while nobody waited");
    expect(first.Messages?.[0]?.ReceiptHandle.startsWith("5.")).toBe(true);
    expect(Date.now() - started).toBeLessThan(WAKE_LIMIT_MS);

    for (const k of [9, 3, 15]) {
      const polling = sqsOk<Received>("ReceiveMessage", { QueueUrl, WaitTimeSeconds: 5 });
      await sleep(150);
      const sent = Date.now();
      await sendStraight(name, k, `to ${k}`);
      const { Messages } = await polling;
      expect(Messages?.[0]?.Body).toBe(`to ${k}`);
      expect(Messages?.[0]?.ReceiptHandle.startsWith(`${k}.`)).toBe(true);
      expect(Date.now() - sent).toBeLessThan(WAKE_LIMIT_MS);
    }
  });

  it("is woken by a message in a partition added while it waits", async () => {
    const { name, QueueUrl } = await queueOf(4);
    await sqsOk("ReceiveMessage", { QueueUrl, WaitTimeSeconds: 0 });
    const polling = sqsOk<Received>("ReceiveMessage", { QueueUrl, WaitTimeSeconds: 5 });
    await sleep(150);
    await sqsOk("TagQueue", { QueueUrl, Tags: { "sluice:partitions": "8" } });
    const sent = Date.now();
    await sendStraight(name, 6, "in a new partition");
    const { Messages } = await polling;
    expect(Messages?.[0]?.Body).toBe("in a new partition");
    expect(Date.now() - sent).toBeLessThan(WAKE_LIMIT_MS);
    // Its handle names partition 6, and the delete goes there.
    expect(Messages![0]!.ReceiptHandle.startsWith("6.")).toBe(true);
    await sqsOk("DeleteMessage", { QueueUrl, ReceiptHandle: Messages![0]!.ReceiptHandle });
    const attributes = await sqsOk<{ Attributes: Record<string, string> }>("GetQueueAttributes", {
      QueueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    });
    expect(attributes.Attributes).toEqual({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" });
  });
});

describe("the partition count", () => {
  it("is kept by partition 0, raised with the tag, and answered with its receives", async () => {
    const { name, QueueUrl } = await queueOf(4);
    const count = async () => {
      const outcome = await partition(name, 0).partitionCount();
      return outcome.ok ? outcome.value : outcome.error.code;
    };
    expect(await count()).toBe(4);
    await sqsOk("TagQueue", { QueueUrl, Tags: { "sluice:partitions": "6" } });
    expect(await count()).toBe(6);
    const received = await partition(name, 0).receive({ maxMessages: 1, probe: true });
    expect(received.ok && received.value.partitions).toBe(6);
    // Partition 0 keeps the larger count it is told; other partitions do not answer one.
    expect(await partition(name, 0).setPartitionCount(2)).toEqual({ ok: true, value: 6 });
    const other = await partition(name, 1).receive({ maxMessages: 1, probe: true });
    expect(other.ok && other.value.partitions).toBeUndefined();
    // An unpartitioned queue has one, without the tag.
    const plain = await queueOf(1);
    expect(await partition(plain.name, 0).partitionCount()).toEqual({ ok: true, value: 1 });
  });
});
