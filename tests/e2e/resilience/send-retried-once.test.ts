/**
 * A send whose connection drops after the object stored the message (the outcome unknown to the
 * Worker) is retried by the Worker with the same sendId, and the message is stored once.
 */
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAIN_KEY } from "../../keys.js";
import { startFlakyWorker, type FlakyWorker } from "./flaky-queue.js";

let worker: FlakyWorker;
let sqs: SQSClient;

beforeAll(async () => {
  worker = await startFlakyWorker();
  sqs = new SQSClient({
    endpoint: worker.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: MAIN_KEY.accessKeyId, secretAccessKey: MAIN_KEY.secretAccessKey },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  sqs?.destroy();
  await worker?.stop();
});

async function bodiesIn(QueueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 30 }));
    if (!Messages?.length) return bodies.sort();
    bodies.push(...Messages.map((m) => m.Body!));
  }
}

describe("a send retried after a failure whose outcome is unknown", () => {
  it("is stored once, and answered with the first run's MessageId", async () => {
    const name = `send-once-${Date.now().toString(36)}`;
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    await worker.queue(name).failNext({ method: "send", kind: "retryable", times: 1, after: true });
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "stored once" }));
    expect(await worker.queue(name).callCount("send")).toBe(2);
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 30 }));
    expect(Messages?.map((m) => m.Body)).toEqual(["stored once"]);
    expect(Messages?.[0]?.MessageId).toBe(sent.MessageId);
  });

  it("of a batch: every entry stored once", async () => {
    const name = `batch-once-${Date.now().toString(36)}`;
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    await worker.queue(name).failNext({ method: "send", kind: "retryable", times: 1, after: true });
    const Entries = ["a", "b", "c"].map((body) => ({ Id: body, MessageBody: body }));
    const sent = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
    expect(sent.Successful).toHaveLength(3);
    expect(await bodiesIn(QueueUrl!)).toEqual(["a", "b", "c"]);
  });
});
