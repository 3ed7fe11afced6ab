import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { expect, it } from "vitest";
import type { InstrumentedQueueObject as QueueObject } from "../instrumented/queue-object.js";
import { sqsOk } from "./sqs-call.js";

const ACCOUNT = "000000000000";
const MESSAGES = 30;

/**
 * Thirty messages dead-lettered into a fresh DLQ whose clock the test drives, and a fault that
 * kills the first move step after its copy reached the source, before it deleted anything here.
 */
async function deadLettersWithFaultyFirstStep() {
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

  // The unit tests' Worker runs the instrumented queue object (tests/instrumented/worker.ts).
  const stub = env.QUEUE.get(env.QUEUE.idFromName(`${ACCOUNT}/${dlqName}`)) as unknown as DurableObjectStub<QueueObject>;
  const state = { now: Date.now(), faults: 0 };
  await runInDurableObject(stub, (queue: QueueObject) => {
    queue.clock = { now: () => state.now };
    queue.faultAfterCopy = () => {
      if (state.faults++ === 0) throw new Error("simulated restart between copy and delete");
    };
  });
  const { TaskHandle } = await sqsOk<{ TaskHandle: string }>("StartMessageMoveTask", {
    SourceArn: dlqArn,
    MaxNumberOfMessagesPerSecond: 10,
  });
  // The task's first step runs on the alarm it just set: the runtime may fire it itself, or our run
  // may be the one that meets the fault and rethrows it; any other error fails the test.
  for (let i = 0; i < 50 && state.faults === 0; i++) {
    await runDurableObjectAlarm(stub).catch(expectSimulatedFault);
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(state.faults).toBe(1);
  return { dlq, dlqArn, source, stub, state, TaskHandle };
}

it("a move task interrupted between copy and delete loses and duplicates nothing", async () => {
  const { dlq, dlqArn, source, stub, state } = await deadLettersWithFaultyFirstStep();
  const midway = await sqsOk<{ Attributes: Record<string, string> }>("GetQueueAttributes", {
    QueueUrl: source.QueueUrl,
    AttributeNames: ["ApproximateNumberOfMessages"],
  });
  expect(midway.Attributes.ApproximateNumberOfMessages).toBe("10");

  // The next alarm finishes the interrupted step (its copies are recognised, not stored twice),
  // and the steps after it move the rest.
  state.now += 31_000;
  for (let step = 0; step < 10; step++) {
    await runInDurableObject(stub, (_queue: QueueObject, ctx) => ctx.storage.setAlarm(Date.now()));
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
  const { dlq, dlqArn, source, stub, state, TaskHandle } = await deadLettersWithFaultyFirstStep();
  // Cancelled while the first step's ten copies sit in the source and the originals are still here.
  await sqsOk("CancelMessageMoveTask", { TaskHandle });
  await runInDurableObject(stub, (_queue: QueueObject, ctx) => ctx.storage.setAlarm(Date.now()));
  await runDurableObjectAlarm(stub);
  const { Results } = await sqsOk<{ Results: Record<string, unknown>[] }>("ListMessageMoveTasks", { SourceArn: dlqArn });
  expect(Results[0]).toMatchObject({ Status: "CANCELLED", ApproximateNumberOfMessagesMoved: 10 });

  // Long after the interrupted step's lease: the ten moved messages are not back in the DLQ.
  state.now += 10 * 60_000;
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

function expectSimulatedFault(error: unknown): void {
  if (!String(error).includes("simulated restart between copy and delete")) throw error;
}
