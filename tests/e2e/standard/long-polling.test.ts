/**
 * Long polling: a waiting ReceiveMessage returns as soon as a message is
 * available — sent, delayed into visibility, or back from a visibility timeout — and an empty
 * one returns after WaitTimeSeconds. Bounds are generous for a loaded 2-core machine but far
 * from the alternative (waiting out the whole poll). The tests run concurrently.
 */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient } from "../clients.js";
import { newQueue, sleep, timed } from "./standard-helpers.js";

const sqs = awsClient();

/** A waiting poll must answer a send this fast (target ~100 ms; a loaded machine gets slack). */
const WAKE_HARD_LIMIT_MS = 1_000;

/**
 * The target for a poll woken by a send. The median of several wakes must meet it; each
 * single wake gets headroom for a loaded 2-core machine, yet stays below the 500 ms heartbeat
 * (worker/held-response.ts), so a wake that only happened on a heartbeat tick would fail.
 */
const WAKE_TARGET_MS = 100;
const WAKE_SINGLE_LIMIT_MS = 300;
const WAKE_REPETITIONS = 5;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/**
 * Starts a long poll, sends one message 1 s later and returns the milliseconds from the
 * SendMessage response to the ReceiveMessage response: the wake latency.
 */
async function wakeLatency(QueueUrl: string): Promise<number> {
  const started = performance.now();
  const poll = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10 })).then((result) => ({
    result,
    at: performance.now(),
  }));
  await sleep(1_000);
  const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "wake up" }));
  const sent = performance.now();
  const { result, at } = await poll;
  expect(result.Messages?.map((m) => m.MessageId)).toEqual([MessageId]);
  // It really waited for the send rather than answering early and empty.
  expect(at - started).toBeGreaterThanOrEqual(900);
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: result.Messages![0]!.ReceiptHandle }));
  return Math.max(0, at - sent);
}

describe.concurrent("long polling", () => {
  it(
    `answers a send made 1 s into the poll within ${WAKE_TARGET_MS} ms (median of ${WAKE_REPETITIONS})`,
    async () => {
      const QueueUrl = await newQueue(sqs, "lp-send");
      const latencies: number[] = [];
      for (let i = 0; i < WAKE_REPETITIONS; i++) latencies.push(await wakeLatency(QueueUrl));
      const report = latencies.map((ms) => ms.toFixed(1)).join(", ");
      expect(median(latencies), `wake latencies (ms): ${report}`).toBeLessThan(WAKE_TARGET_MS);
      for (const ms of latencies) expect(ms, `wake latencies (ms): ${report}`).toBeLessThan(WAKE_SINGLE_LIMIT_MS);
    },
    WAKE_REPETITIONS * 3_000,
  );

  it("returns an empty result after WaitTimeSeconds when nothing arrives", async () => {
    const QueueUrl = await newQueue(sqs, "lp-empty");
    const { value, ms } = await timed(() => sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 2 })));
    expect(value.Messages).toBeUndefined();
    expect(ms).toBeGreaterThanOrEqual(1_900);
    expect(ms).toBeLessThan(3_000);
  });

  it("waits for the queue's ReceiveMessageWaitTimeSeconds when the request gives no WaitTimeSeconds", async () => {
    const QueueUrl = await newQueue(sqs, "lp-queue-wait", { ReceiveMessageWaitTimeSeconds: "2" });
    const { value, ms } = await timed(() => sqs.send(new ReceiveMessageCommand({ QueueUrl })));
    expect(value.Messages).toBeUndefined();
    expect(ms).toBeGreaterThanOrEqual(1_900);
    expect(ms).toBeLessThan(3_000);
  });

  it("short polls when the request says WaitTimeSeconds 0, whatever the queue's default", async () => {
    const QueueUrl = await newQueue(sqs, "lp-explicit-zero", { ReceiveMessageWaitTimeSeconds: "20" });
    const { value, ms } = await timed(() => sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 })));
    expect(value.Messages).toBeUndefined();
    expect(ms).toBeLessThan(WAKE_HARD_LIMIT_MS);
  });

  it("returns at once when a message is already there", async () => {
    const QueueUrl = await newQueue(sqs, "lp-ready");
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "ready" }));
    const { value, ms } = await timed(() => sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10 })));
    expect(value.Messages).toHaveLength(1);
    expect(ms).toBeLessThan(WAKE_HARD_LIMIT_MS);
  });

  it("gives 10 concurrent long pollers 10 distinct messages", async () => {
    const QueueUrl = await newQueue(sqs, "lp-ten");
    const polls = Array.from({ length: 10 }, () =>
      sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 8, MaxNumberOfMessages: 1 })),
    );
    await sleep(500);
    const Entries = Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `message ${i}` }));
    const sent = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
    expect(sent.Successful).toHaveLength(10);
    const { value: results, ms } = await timed(() => Promise.all(polls));
    const received = results.map((r) => r.Messages ?? []);
    for (const messages of received) expect(messages).toHaveLength(1);
    const ids = received.flat().map((m) => m.MessageId);
    expect(new Set(ids)).toEqual(new Set(sent.Successful!.map((s) => s.MessageId)));
    // Every poller was answered by the send, not by its timeout.
    expect(ms).toBeLessThan(3_000);
  });

  it("keeps waiting, not returning early and empty, when another poller took the message", async () => {
    const QueueUrl = await newQueue(sqs, "lp-rival");
    const poll = () => timed(() => sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 2 })));
    const polls = [poll(), poll()];
    await sleep(300);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "only one" }));
    const [a, b] = await Promise.all(polls);
    const [winner, loser] = a!.value.Messages ? [a!, b!] : [b!, a!];
    expect(winner.value.Messages).toHaveLength(1);
    expect(winner.ms).toBeLessThan(300 + WAKE_HARD_LIMIT_MS);
    expect(loser.value.Messages).toBeUndefined();
    expect(loser.ms).toBeGreaterThanOrEqual(1_900);
    expect(loser.ms).toBeLessThan(3_000);
  });

  it("returns empty at WaitTimeSeconds when a delayed message is due only later", async () => {
    const QueueUrl = await newQueue(sqs, "lp-too-late");
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "too late", DelaySeconds: 3 }));
    const { value, ms } = await timed(() => sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 })));
    expect(value.Messages).toBeUndefined();
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(2_000);
  });

  it("is woken when a delayed message becomes visible", async () => {
    const QueueUrl = await newQueue(sqs, "lp-delay");
    const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "soon", DelaySeconds: 1 }));
    const { value, ms } = await timed(() => sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10 })));
    expect(value.Messages?.map((m) => m.MessageId)).toEqual([MessageId]);
    expect(ms).toBeGreaterThanOrEqual(500);
    expect(ms).toBeLessThan(1_000 + WAKE_HARD_LIMIT_MS);
  });

  it("is woken when another receiver's visibility timeout expires", async () => {
    const QueueUrl = await newQueue(sqs, "lp-visibility");
    const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "comes back" }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 1 }));
    const { value, ms } = await timed(() =>
      sqs.send(
        new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10, MessageSystemAttributeNames: ["ApproximateReceiveCount"] }),
      ),
    );
    expect(value.Messages?.map((m) => [m.MessageId, m.Attributes?.ApproximateReceiveCount])).toEqual([[MessageId, "2"]]);
    expect(ms).toBeGreaterThanOrEqual(500);
    expect(ms).toBeLessThan(1_000 + WAKE_HARD_LIMIT_MS);
  });

  it("is woken when another receiver sets the visibility timeout to 0", async () => {
    const QueueUrl = await newQueue(sqs, "lp-release");
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "released" }));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 300 }));
    const poll = timed(() => sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10 })));
    await sleep(500);
    await sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: Messages![0]!.ReceiptHandle, VisibilityTimeout: 0 }),
    );
    const { value, ms } = await poll;
    expect(value.Messages?.[0]?.MessageId).toBe(Messages![0]!.MessageId);
    expect(ms).toBeLessThan(500 + WAKE_HARD_LIMIT_MS);
  });

  it("assigns no message to a client that aborted its long poll", async () => {
    const QueueUrl = await newQueue(sqs, "lp-abort");
    const controller = new AbortController();
    const abandoned = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10 }), {
      abortSignal: controller.signal,
    });
    await sleep(500);
    controller.abort();
    await expect(abandoned).rejects.toMatchObject({ name: "AbortError" });
    // A moment for the server to see the connection close (it may only notice when it writes).
    await sleep(1_000);
    const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "for the one still here" }));
    // Time for the abandoned poll, were it still counted, to take the message.
    await sleep(200);
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ["ApproximateReceiveCount"] }),
    );
    expect(Messages?.map((m) => [m.MessageId, m.Attributes?.ApproximateReceiveCount])).toEqual([[MessageId, "1"]]);
  });
});
