import { expect, it } from "vitest";
import { Consumer } from "../../../sdk/consumer.js";
import { countingFetch, createQueue, delay, sluice, until } from "./sdk-helpers.js";

it("keeps a 3-second handler's message invisible with a 1-second visibility timeout", async () => {
  const sqs = sluice();
  const queueUrl = await createQueue(sqs, "sdk-heartbeat", { VisibilityTimeout: "1" });
  await sqs.sendMessage({ queueUrl, body: "long job" });

  let calls = 0;
  let done = false;
  const counting = countingFetch();
  // No visibilityTimeoutSeconds: the consumer reads the queue's (1 s) and beats every 0.5 s.
  const consumer = new Consumer({
    client: sluice({ fetch: counting.fetch }),
    queueUrl,
    waitTimeSeconds: 1,
    handleMessage: async () => {
      calls++;
      await delay(3_000);
      done = true;
    },
  });
  const errors: unknown[] = [];
  consumer.on("error", (e) => errors.push(e));
  consumer.start();
  await until(() => calls === 1);

  // A second receiver keeps polling while the handler runs: it must never see the message.
  const stolen: string[] = [];
  while (!done) {
    const { messages } = await sqs.receiveMessage({ queueUrl, waitTimeSeconds: 1, maxNumberOfMessages: 10 });
    stolen.push(...messages.map((m) => m.body));
  }
  await consumer.stop();

  expect(stolen).toEqual([]);
  expect(calls).toBe(1);
  expect(errors).toEqual([]);
  expect(counting.calls.get("ChangeMessageVisibilityBatch")).toBeGreaterThanOrEqual(4);
  const { attributes } = await sqs.getQueueAttributes({
    queueUrl,
    attributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
  });
  expect(attributes).toEqual({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" });
});
