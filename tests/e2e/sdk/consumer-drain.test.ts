import { expect, it } from "vitest";
import { Consumer } from "../../../sdk/consumer.js";
import { Producer } from "../../../sdk/producer.js";
import { countingFetch, createQueue, delay, sluice, until } from "./sdk-helpers.js";

it("drains 200 messages with concurrency 8, handling each exactly once", async () => {
  const sqs = sluice();
  const queueUrl = await createQueue(sqs, "sdk-drain");
  const bodies = Array.from({ length: 200 }, (_, i) => `job ${i}`);
  await new Producer({ client: sqs, queueUrl }).send(bodies);

  const handled = new Map<string, number>();
  let running = 0;
  let maxRunning = 0;
  const processed: string[] = [];
  const errors: unknown[] = [];
  const counting = countingFetch();
  const consumer = new Consumer({
    client: sluice({ fetch: counting.fetch }),
    queueUrl,
    concurrency: 8,
    waitTimeSeconds: 1,
    handleMessage: async (message) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      handled.set(message.body, (handled.get(message.body) ?? 0) + 1);
      await delay(2 + Math.random() * 5);
      running--;
    },
  });
  consumer.on("message_processed", (m) => processed.push(m.body));
  consumer.on("error", (e) => errors.push(e));
  consumer.on("processing_error", (e) => errors.push(e));
  consumer.start();
  await until(() => processed.length === 200, 20_000);
  await consumer.stop();

  expect(errors).toEqual([]);
  expect([...handled.keys()].sort()).toEqual([...bodies].sort());
  expect([...handled.values()].every((n) => n === 1)).toBe(true);
  expect(maxRunning).toBeLessThanOrEqual(8);
  expect(maxRunning).toBeGreaterThan(1);
  // Deletes were batched: far fewer calls than messages.
  expect(counting.calls.get("DeleteMessageBatch")).toBeLessThan(100);
  expect(counting.calls.get("DeleteMessage")).toBeUndefined();
  const { attributes } = await sqs.getQueueAttributes({
    queueUrl,
    attributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
  });
  expect(attributes).toEqual({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" });
});
