import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { expect, it } from "vitest";
import type { QueueObject } from "../../durable-objects/queue/queue-object.js";
import { sqsOk } from "./sqs-call.js";

const ACCOUNT = "000000000000";
const MESSAGES = 30;

it("a move task interrupted between copy and delete loses and duplicates nothing", async () => {
  const dlqName = `dlq-${crypto.randomUUID()}`;
  const sourceName = `src-${crypto.randomUUID()}`;
  const dlq = await sqsOk<{ QueueUrl: string }>("CreateQueue", { QueueName: dlqName });
  const dlqArn = `arn:aws:sqs:us-east-1:${ACCOUNT}:${dlqName}`;
  const source = await sqsOk<{ QueueUrl: string }>("CreateQueue", {
    QueueName: sourceName,
    Attributes: {
      VisibilityTimeout: "0",
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }),
    },
  });
  for (let i = 0; i < MESSAGES; i += 10) {
    await sqsOk("SendMessageBatch", {
      QueueUrl: source.QueueUrl,
      Entries: Array.from({ length: 10 }, (_, j) => ({ Id: `e${j}`, MessageBody: `message-${i + j}` })),
    });
  }
  // Deliver each once, then the next receives move them all to the DLQ.
  for (let i = 0; i < 12; i++) await sqsOk("ReceiveMessage", { QueueUrl: source.QueueUrl, MaxNumberOfMessages: 10 });
  const dlqCount = await sqsOk<{ Attributes: Record<string, string> }>("GetQueueAttributes", {
    QueueUrl: dlq.QueueUrl,
    AttributeNames: ["ApproximateNumberOfMessages"],
  });
  expect(dlqCount.Attributes.ApproximateNumberOfMessages).toBe(String(MESSAGES));

  const stub = env.QUEUE.get(env.QUEUE.idFromName(`${ACCOUNT}/${dlqName}`));
  let now = Date.now();
  let faults = 0;
  await runInDurableObject(stub, (queue: QueueObject) => {
    queue.clock = { now: () => now };
    // The first step dies after its copy reached the source and before it deleted anything here.
    queue.faultAfterCopy = () => {
      if (faults++ === 0) throw new Error("simulated restart between copy and delete");
    };
  });
  await sqsOk("StartMessageMoveTask", { SourceArn: dlqArn, MaxNumberOfMessagesPerSecond: 10 });
  // The task's first step runs on the alarm it just set.
  for (let i = 0; i < 50 && faults === 0; i++) {
    await runDurableObjectAlarm(stub);
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(faults).toBe(1);
  const midway = await sqsOk<{ Attributes: Record<string, string> }>("GetQueueAttributes", {
    QueueUrl: source.QueueUrl,
    AttributeNames: ["ApproximateNumberOfMessages"],
  });
  expect(midway.Attributes.ApproximateNumberOfMessages).toBe("10");

  // The interrupted step's messages stay claimed until their lease ends, then move again.
  now += 31_000;
  for (let step = 0; step < 10; step++) {
    await runInDurableObject(stub, (_queue: QueueObject, state) => state.storage.setAlarm(Date.now()));
    await runDurableObjectAlarm(stub);
    const { Results } = await sqsOk<{ Results: { Status: string }[] }>("ListMessageMoveTasks", { SourceArn: dlqArn });
    if (Results[0]?.Status === "COMPLETED") break;
  }
  const { Results } = await sqsOk<{ Results: Record<string, unknown>[] }>("ListMessageMoveTasks", { SourceArn: dlqArn });
  expect(Results[0]).toMatchObject({ Status: "COMPLETED", ApproximateNumberOfMessagesToMove: MESSAGES });

  const bodies: string[] = [];
  for (let i = 0; i < 10; i++) {
    const { Messages = [] } = await sqsOk<{ Messages?: { Body: string }[] }>("ReceiveMessage", {
      QueueUrl: source.QueueUrl,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 600,
    });
    bodies.push(...Messages.map((m) => m.Body));
  }
  expect(bodies.sort()).toEqual(Array.from({ length: MESSAGES }, (_, i) => `message-${i}`).sort());
  const left = await sqsOk<{ Attributes: Record<string, string> }>("GetQueueAttributes", {
    QueueUrl: dlq.QueueUrl,
    AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
  });
  expect(left.Attributes).toEqual({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" });
});

it("a move task cancelled after a step was interrupted finishes that step and duplicates nothing", async () => {
  const dlqName = `dlq-${crypto.randomUUID()}`;
  const sourceName = `src-${crypto.randomUUID()}`;
  const dlq = await sqsOk<{ QueueUrl: string }>("CreateQueue", { QueueName: dlqName });
  const dlqArn = `arn:aws:sqs:us-east-1:${ACCOUNT}:${dlqName}`;
  const source = await sqsOk<{ QueueUrl: string }>("CreateQueue", {
    QueueName: sourceName,
    Attributes: {
      VisibilityTimeout: "0",
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }),
    },
  });
  for (let i = 0; i < MESSAGES; i += 10) {
    await sqsOk("SendMessageBatch", {
      QueueUrl: source.QueueUrl,
      Entries: Array.from({ length: 10 }, (_, j) => ({ Id: `e${j}`, MessageBody: `message-${i + j}` })),
    });
  }
  for (let i = 0; i < 12; i++) await sqsOk("ReceiveMessage", { QueueUrl: source.QueueUrl, MaxNumberOfMessages: 10 });

  const stub = env.QUEUE.get(env.QUEUE.idFromName(`${ACCOUNT}/${dlqName}`));
  let now = Date.now();
  let faults = 0;
  await runInDurableObject(stub, (queue: QueueObject) => {
    queue.clock = { now: () => now };
    queue.faultAfterCopy = () => {
      if (faults++ === 0) throw new Error("simulated restart between copy and delete");
    };
  });
  const { TaskHandle } = await sqsOk<{ TaskHandle: string }>("StartMessageMoveTask", {
    SourceArn: dlqArn,
    MaxNumberOfMessagesPerSecond: 10,
  });
  for (let i = 0; i < 50 && faults === 0; i++) {
    await runDurableObjectAlarm(stub);
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(faults).toBe(1);
  // Cancelled while the first step's ten copies sit in the source and the originals are still here.
  await sqsOk("CancelMessageMoveTask", { TaskHandle });
  await runInDurableObject(stub, (_queue: QueueObject, state) => state.storage.setAlarm(Date.now()));
  await runDurableObjectAlarm(stub);
  const { Results } = await sqsOk<{ Results: Record<string, unknown>[] }>("ListMessageMoveTasks", { SourceArn: dlqArn });
  expect(Results[0]).toMatchObject({ Status: "CANCELLED", ApproximateNumberOfMessagesMoved: 10 });

  // Long after the interrupted step's lease: the ten moved messages are not back in the DLQ.
  now += 10 * 60_000;
  const counts = async (url: string) =>
    (
      await sqsOk<{ Attributes: Record<string, string> }>("GetQueueAttributes", {
        QueueUrl: url,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      })
    ).Attributes;
  expect(await counts(dlq.QueueUrl)).toEqual({ ApproximateNumberOfMessages: "20", ApproximateNumberOfMessagesNotVisible: "0" });
  expect(await counts(source.QueueUrl)).toEqual({ ApproximateNumberOfMessages: "10", ApproximateNumberOfMessagesNotVisible: "0" });
});
