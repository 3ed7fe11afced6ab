import { describe, expect, it } from "vitest";
import { Consumer } from "../../../sdk/consumer.js";
import { createQueue, delay, sluice, until } from "./sdk-helpers.js";

const sqs = sluice();

describe("Consumer lifecycle", () => {
  it("stops within a second while a 20-second long poll is in flight", async () => {
    const queueUrl = await createQueue(sqs, "sdk-stop");
    const consumer = new Consumer({ client: sqs, queueUrl, waitTimeSeconds: 20, handleMessage: () => {} });
    const events: string[] = [];
    consumer.on("stopped", () => events.push("stopped"));
    consumer.on("error", (e) => events.push(`error ${String(e)}`));
    consumer.start();
    await delay(500); // the long poll is now parked on the server
    const started = Date.now();
    await consumer.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(events).toEqual(["stopped"]);
    expect(consumer.isRunning).toBe(false);
  });

  it("waits for running handlers before it resolves, and deletes their messages", async () => {
    const queueUrl = await createQueue(sqs, "sdk-stop-wait");
    await sqs.sendMessage({ queueUrl, body: "slow" });
    let finished = false;
    const consumer = new Consumer({
      client: sqs,
      queueUrl,
      waitTimeSeconds: 1,
      handleMessage: async () => {
        await delay(400);
        finished = true;
      },
    });
    let received = false;
    consumer.on("message_received", () => (received = true));
    consumer.start();
    await until(() => received);
    await consumer.stop();
    expect(finished).toBe(true);
    const { attributes } = await sqs.getQueueAttributes({
      queueUrl,
      attributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    });
    expect(attributes).toEqual({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" });
  });

  it("backs off a failed message and handles it again later", async () => {
    const queueUrl = await createQueue(sqs, "sdk-backoff");
    await sqs.sendMessage({ queueUrl, body: "flaky" });
    const attempts: string[] = [];
    const failures: unknown[] = [];
    const consumer = new Consumer({
      client: sqs,
      queueUrl,
      waitTimeSeconds: 1,
      backoffSeconds: (receiveCount) => (receiveCount === 1 ? 1 : 0),
      handleMessage: (message) => {
        attempts.push(message.systemAttributes.ApproximateReceiveCount!);
        if (attempts.length === 1) throw new Error("first try fails");
      },
    });
    consumer.on("processing_error", (error) => failures.push(error));
    const processed: string[] = [];
    consumer.on("message_processed", (m) => processed.push(m.body));
    const started = Date.now();
    consumer.start();
    await until(() => processed.length === 1);
    await consumer.stop();
    expect(attempts).toEqual(["1", "2"]);
    expect(failures).toMatchObject([{ message: "first try fails" }]);
    // The back-off hid it for a second.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("times out a slow handler, aborting its signal", async () => {
    const queueUrl = await createQueue(sqs, "sdk-timeout");
    await sqs.sendMessage({ queueUrl, body: "stuck" });
    let aborted = false;
    const consumer = new Consumer({
      client: sqs,
      queueUrl,
      waitTimeSeconds: 1,
      handleMessageTimeoutMs: 100,
      backoffSeconds: 30,
      handleMessage: (_message, { signal }) =>
        new Promise((resolve) => signal.addEventListener("abort", () => ((aborted = true), resolve(undefined)))),
    });
    const failures: unknown[] = [];
    consumer.on("processing_error", (error) => failures.push(error));
    consumer.start();
    await until(() => failures.length === 1);
    await consumer.stop();
    expect(aborted).toBe(true);
    expect(failures[0]).toMatchObject({ name: "SluiceError", code: "HandlerTimeout" });
    await expect(sqs.receiveMessage({ queueUrl })).resolves.toEqual({ messages: [] });
  });

  it("hands whole receives to handleMessageBatch and deletes only what it acknowledges", async () => {
    const queueUrl = await createQueue(sqs, "sdk-batch-handler");
    await sqs.sendMessageBatch({ queueUrl, entries: ["keep", "done1", "done2"].map((body) => ({ id: body, body })) });
    const seen: string[] = [];
    const consumer = new Consumer({
      client: sqs,
      queueUrl,
      waitTimeSeconds: 1,
      backoffSeconds: 60,
      handleMessageBatch: async (messages) => {
        seen.push(...messages.map((m) => m.body));
        return messages.filter((m) => m.body !== "keep");
      },
    });
    const processed: string[] = [];
    consumer.on("message_processed", (m) => processed.push(m.body));
    consumer.start();
    await until(() => processed.length === 2);
    await consumer.stop();
    expect(seen.sort()).toEqual(["done1", "done2", "keep"]);
    expect(processed.sort()).toEqual(["done1", "done2"]);
    const { attributes } = await sqs.getQueueAttributes({ queueUrl, attributeNames: ["ApproximateNumberOfMessagesNotVisible"] });
    expect(attributes.ApproximateNumberOfMessagesNotVisible).toBe("1");
  });
});
