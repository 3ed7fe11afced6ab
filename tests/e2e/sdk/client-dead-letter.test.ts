import { describe, expect, it } from "vitest";
import type { SluiceClient } from "../../../sdk/client.js";
import { Producer } from "../../../sdk/producer.js";
import { createQueue, delay, sluice } from "./sdk-helpers.js";

const sqs = sluice();

async function queueWithArn(client: SluiceClient, prefix: string, attributes: Record<string, string> = {}) {
  const url = await createQueue(client, prefix, attributes);
  const { attributes: a } = await client.getQueueAttributes({ queueUrl: url, attributeNames: ["QueueArn"] });
  return { url, arn: a.QueueArn! };
}

/** A source whose messages dead-letter after one receive, and its DLQ holding `bodies`. */
async function deadLetters(bodies: string[]) {
  const dlq = await queueWithArn(sqs, "sdk-dlq");
  const source = await queueWithArn(sqs, "sdk-src", {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }),
  });
  await new Producer({ client: sqs, queueUrl: source.url }).send(bodies);
  for (let received = 0; received < bodies.length; ) {
    const { messages } = await sqs.receiveMessage({ queueUrl: source.url, maxNumberOfMessages: 10, visibilityTimeoutSeconds: 0 });
    received += messages.length;
  }
  // The next receive finds every message over maxReceiveCount and moves it.
  await sqs.receiveMessage({ queueUrl: source.url, maxNumberOfMessages: 10 });
  return { dlq, source };
}

async function count(queueUrl: string): Promise<number> {
  const { attributes } = await sqs.getQueueAttributes({ queueUrl, attributeNames: ["ApproximateNumberOfMessages"] });
  return Number(attributes.ApproximateNumberOfMessages);
}

describe("SluiceClient dead-letter actions", () => {
  it("lists the source queues of a dead-letter queue, and moved messages name their source", async () => {
    const { dlq, source } = await deadLetters(["poison"]);
    await expect(sqs.listDeadLetterSourceQueues({ queueUrl: dlq.url })).resolves.toEqual({ queueUrls: [source.url] });
    const { messages } = await sqs.receiveMessage({ queueUrl: dlq.url, systemAttributeNames: ["All"], waitTimeSeconds: 1 });
    expect(messages.map((m) => m.body)).toEqual(["poison"]);
    expect(messages[0]!.systemAttributes.DeadLetterQueueSourceArn).toBe(source.arn);
  });

  it("redrives dead letters with a move task and lists it", async () => {
    const { dlq, source } = await deadLetters(["a", "b", "c"]);
    const { taskHandle } = await sqs.startMessageMoveTask({ sourceArn: dlq.arn });
    expect(taskHandle).toBeTruthy();
    let [task] = (await sqs.listMessageMoveTasks({ sourceArn: dlq.arn, maxResults: 10 })).results;
    for (let i = 0; task?.status === "RUNNING" && i < 50; i++) {
      await delay(100);
      [task] = (await sqs.listMessageMoveTasks({ sourceArn: dlq.arn })).results;
    }
    expect(task).toMatchObject({ status: "COMPLETED", sourceArn: dlq.arn, approximateNumberOfMessagesMoved: 3 });
    expect(task!.startedTimestampMs).toBeGreaterThan(Date.now() - 60_000);
    expect(await count(source.url)).toBe(3);
  });

  it("cancels a running move task", async () => {
    const { dlq } = await deadLetters(Array.from({ length: 20 }, (_, i) => `m${i}`));
    const { taskHandle } = await sqs.startMessageMoveTask({ sourceArn: dlq.arn, maxNumberOfMessagesPerSecond: 1 });
    const cancelled = await sqs.cancelMessageMoveTask({ taskHandle });
    expect(cancelled.approximateNumberOfMessagesMoved).toBeLessThan(20);
    const [task] = (await sqs.listMessageMoveTasks({ sourceArn: dlq.arn })).results;
    expect(["CANCELLING", "CANCELLED"]).toContain(task!.status);
  });
});
