/**
 * The Consumer's limits against the worker: handlers that outlive their timeout keep their slot
 * and their group's turn, stop() with a deadline, and the `empty` and `error` events.
 */
import { describe, expect, it } from "vitest";
import { Consumer } from "../../../sdk/consumer.js";
import { SluiceError } from "../../../sdk/errors.js";
import { uniqueName } from "../clients.js";
import { createFifoQueue, createQueue, delay, sluice, until } from "./sdk-helpers.js";

const sqs = sluice();

/** Handler runs as [start, end] times, and the most that ever overlapped. */
class Runs {
  readonly spans: { label: string; start: number; end?: number }[] = [];
  private active = 0;
  maxActive = 0;

  begin(label: string) {
    const span = { label, start: Date.now(), end: undefined as number | undefined };
    this.spans.push(span);
    this.maxActive = Math.max(this.maxActive, ++this.active);
    return () => {
      span.end = Date.now();
      this.active--;
    };
  }
}

/** Resolves after `ms`, whatever happens to the handler's signal. */
const stubborn = (ms: number) => delay(ms);

async function counts(queueUrl: string) {
  const { attributes } = await sqs.getQueueAttributes({
    queueUrl,
    attributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
  });
  return { visible: Number(attributes.ApproximateNumberOfMessages), inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible) };
}

describe("Consumer handler timeouts", () => {
  it("keeps the slot of a timed-out handler that ignores its signal until it really ends", async () => {
    const queueUrl = await createQueue(sqs, "sdk-timeout-slot");
    await sqs.sendMessageBatch({ queueUrl, entries: ["a", "b"].map((body) => ({ id: body, body })) });
    const runs = new Runs();
    let signalAborted = false;
    const consumer = new Consumer({
      client: sqs,
      queueUrl,
      concurrency: 1,
      waitTimeSeconds: 1,
      handleMessageTimeoutMs: 100,
      backoffSeconds: 60,
      handleMessage: async (message, { signal }) => {
        const done = runs.begin(message.body);
        try {
          // The first handler ignores its signal and runs far past the timeout.
          if (runs.spans.length === 1) {
            await stubborn(800);
            signalAborted = signal.aborted;
          }
        } finally {
          done();
        }
      },
    });
    const failures: unknown[] = [];
    const processed: string[] = [];
    consumer.on("processing_error", (error) => failures.push(error));
    consumer.on("message_processed", (m) => processed.push(m.body));
    consumer.start();
    await until(() => processed.length === 1);
    await consumer.stop();

    expect(runs.maxActive).toBe(1);
    const [slow, fast] = runs.spans;
    expect(signalAborted).toBe(true);
    expect(fast!.start).toBeGreaterThanOrEqual(slow!.end!);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(SluiceError);
    expect(failures[0]).toMatchObject({ code: "HandlerTimeout" });
    // The timed-out message was backed off, not deleted, though its handler resolved in the end.
    expect(processed).toEqual([fast!.label]);
    expect(await counts(queueUrl)).toEqual({ visible: 0, inFlight: 1 });
  });

  it("keeps a FIFO group's turn until a timed-out handler really ends", async () => {
    const queueUrl = await createFifoQueue(sqs, "sdk-timeout-fifo", { ContentBasedDeduplication: "true" });
    for (const body of ["m1", "m2"]) await sqs.sendMessage({ queueUrl, body, groupId: "g" });
    const runs = new Runs();
    const consumer = new Consumer({
      client: sqs,
      queueUrl,
      concurrency: 4,
      waitTimeSeconds: 1,
      handleMessageTimeoutMs: 100,
      // m1 is back at once after its timeout: only the group's turn keeps its retry waiting.
      backoffSeconds: 0,
      handleMessage: async (message) => {
        const done = runs.begin(message.body);
        try {
          if (runs.spans.length === 1) await stubborn(800);
        } finally {
          done();
        }
      },
    });
    const processed: string[] = [];
    const failures: unknown[] = [];
    consumer.on("message_processed", (m) => processed.push(m.body));
    consumer.on("processing_error", (error) => failures.push(error));
    consumer.start();
    await until(() => processed.length === 2);
    await consumer.stop();

    expect(failures).toMatchObject([{ code: "HandlerTimeout" }]);
    expect(runs.spans.map((s) => s.label)).toEqual(["m1", "m1", "m2"]);
    expect(runs.maxActive).toBe(1);
    const [hung, retry, next] = runs.spans;
    expect(retry!.start).toBeGreaterThanOrEqual(hung!.end!);
    expect(next!.start).toBeGreaterThanOrEqual(retry!.end!);
    expect(processed).toEqual(["m1", "m2"]);
  });
});

describe("Consumer.stop deadline", () => {
  it("returns by its deadline, aborting handlers that still run, whose messages stay undeleted until they finish", async () => {
    const queueUrl = await createQueue(sqs, "sdk-stop-deadline");
    await sqs.sendMessage({ queueUrl, body: "long" });
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    let reason: unknown;
    const consumer = new Consumer({
      client: sqs,
      queueUrl,
      waitTimeSeconds: 1,
      visibilityTimeoutSeconds: 30,
      handleMessage: async (_message, { signal }) => {
        signal.addEventListener("abort", () => (reason = signal.reason));
        await finished; // ignores the signal until the test lets it go
      },
    });
    const events: string[] = [];
    consumer.on("message_received", () => events.push("received"));
    consumer.on("message_processed", () => events.push("processed"));
    consumer.on("stopped", () => events.push("stopped"));
    consumer.start();
    await until(() => events.includes("received"));
    const started = Date.now();
    await consumer.stop({ timeoutMs: 300 });
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(2_000);
    expect(events).toEqual(["received", "stopped"]);
    expect(reason).toBeInstanceOf(SluiceError);
    expect(reason).toMatchObject({ code: "ConsumerStopped" });
    expect(await counts(queueUrl)).toEqual({ visible: 0, inFlight: 1 });
    // A handler that still finishes has its message deleted, as it would have been.
    finish();
    await until(() => events.includes("processed"));
    await expect.poll(() => counts(queueUrl)).toEqual({ visible: 0, inFlight: 0 });
  });

  it("waits for handlers that finish before the deadline, and returns as soon as they do", async () => {
    const queueUrl = await createQueue(sqs, "sdk-stop-deadline-met");
    await sqs.sendMessage({ queueUrl, body: "short" });
    let aborted = false;
    const consumer = new Consumer({
      client: sqs,
      queueUrl,
      waitTimeSeconds: 1,
      handleMessage: async (_message, { signal }) => {
        await delay(300);
        aborted = signal.aborted;
      },
    });
    let received = false;
    consumer.on("message_received", () => (received = true));
    consumer.start();
    await until(() => received);
    const started = Date.now();
    await consumer.stop({ timeoutMs: 10_000 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(aborted).toBe(false);
    expect(await counts(queueUrl)).toEqual({ visible: 0, inFlight: 0 });
  });
});

describe("Consumer events", () => {
  it("emits empty when a poll finds nothing", async () => {
    const queueUrl = await createQueue(sqs, "sdk-empty");
    const consumer = new Consumer({ client: sqs, queueUrl, waitTimeSeconds: 0, pollingWaitTimeMs: 50, handleMessage: () => {} });
    let empties = 0;
    const errors: unknown[] = [];
    consumer.on("empty", () => empties++);
    consumer.on("error", (error) => errors.push(error));
    consumer.start();
    await until(() => empties >= 2);
    await consumer.stop();
    expect(errors).toEqual([]);
  });

  it("emits error when receiving fails, and keeps polling", async () => {
    const { queueUrl } = await sqs.createQueue({ queueName: uniqueName("sdk-gone") });
    await sqs.deleteQueue({ queueUrl });
    const consumer = new Consumer({
      client: sqs,
      queueUrl,
      waitTimeSeconds: 1,
      // Given, so the first call is the receive itself (no GetQueueAttributes for the heartbeat).
      visibilityTimeoutSeconds: 30,
      pollingErrorWaitTimeMs: 50,
      handleMessage: () => {},
    });
    const errors: unknown[] = [];
    let empties = 0;
    consumer.on("error", (error) => errors.push(error));
    consumer.on("empty", () => empties++);
    consumer.start();
    await until(() => errors.length >= 2);
    await consumer.stop();
    expect(empties).toBe(0);
    expect(errors[0]).toBeInstanceOf(SluiceError);
    expect(errors[0]).toMatchObject({ code: "QueueDoesNotExist", status: 400 });
  });
});
