import {
  CancelMessageMoveTaskCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  StartMessageMoveTaskCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient } from "../clients.js";
import { createQueue, redrive, rejection, type CreatedQueue } from "./dead-letter-helpers.js";

const sqs = awsClient();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function count(queue: CreatedQueue): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queue.url,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible);
}

/** Sends `n` messages to a source with maxReceiveCount 1 and receives until all are dead letters. */
async function fillDeadLetters(client: SQSClient, n: number) {
  const dlq = await createQueue(client, "dlq");
  const source = await createQueue(client, "src", { RedrivePolicy: redrive(dlq, 1), VisibilityTimeout: "0" });
  for (let i = 0; i < n; i += 10) {
    await client.send(
      new SendMessageBatchCommand({
        QueueUrl: source.url,
        Entries: Array.from({ length: Math.min(10, n - i) }, (_, j) => ({ Id: `m${j}`, MessageBody: `body-${i + j}` })),
      }),
    );
  }
  // First receives deliver each message once; the following ones move them to the DLQ.
  for (let moved = 0; moved < n; moved = await count(dlq)) {
    await Promise.all(
      Array.from({ length: 8 }, () => client.send(new ReceiveMessageCommand({ QueueUrl: source.url, MaxNumberOfMessages: 10 }))),
    );
  }
  return { dlq, source };
}

async function tasks(dlq: CreatedQueue) {
  const { Results = [] } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn, MaxResults: 10 }));
  return Results;
}

describe("message move tasks", () => {
  it("redrives 1,000 dead letters back to their source at the requested rate", async () => {
    const { dlq, source } = await fillDeadLetters(sqs, 1000);
    expect(await count(dlq)).toBe(1000);
    const started = Date.now();
    const { TaskHandle } = await sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, MaxNumberOfMessagesPerSecond: 250 }),
    );
    expect(TaskHandle).toBeTruthy();
    await sleep(1_500);
    const early = (await tasks(dlq))[0]!;
    expect(early.Status).toBe("RUNNING");
    expect(early.TaskHandle).toBe(TaskHandle);
    // 250 per second: after 1.5 s at most two or three steps can have run.
    expect(early.ApproximateNumberOfMessagesMoved).toBeGreaterThan(0);
    expect(early.ApproximateNumberOfMessagesMoved).toBeLessThanOrEqual(750);
    let final = early;
    while (final.Status === "RUNNING" && Date.now() - started < 15_000) {
      await sleep(500);
      final = (await tasks(dlq))[0]!;
    }
    expect(final).toMatchObject({
      Status: "COMPLETED",
      SourceArn: dlq.arn,
      ApproximateNumberOfMessagesMoved: 1000,
      ApproximateNumberOfMessagesToMove: 1000,
      MaxNumberOfMessagesPerSecond: 250,
    });
    expect(final.TaskHandle).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);
    expect(await count(dlq)).toBe(0);
    expect(await count(source)).toBe(1000);
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: source.url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["All"] }),
    );
    expect(Messages[0]?.Body).toMatch(/^body-\d+$/);
    expect(Messages[0]?.Attributes?.DeadLetterQueueSourceArn).toBeUndefined();
  }, 40_000);

  it("can be cancelled mid-way, losing and duplicating nothing", async () => {
    const { dlq, source } = await fillDeadLetters(sqs, 60);
    const { TaskHandle } = await sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, DestinationArn: source.arn, MaxNumberOfMessagesPerSecond: 10 }),
    );
    const again = await rejection(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn })));
    expect(again.name).toBe("InvalidParameterValue");
    expect(again.message).toMatch(/already a task running/);
    await sleep(1_200);
    const cancelled = await sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
    expect(cancelled.ApproximateNumberOfMessagesMoved).toBeGreaterThan(0);
    expect(cancelled.ApproximateNumberOfMessagesMoved).toBeLessThan(60);
    await sleep(1_500);
    const [task] = await tasks(dlq);
    expect(task?.Status).toBe("CANCELLED");
    expect(task?.DestinationArn).toBe(source.arn);
    const moved = task!.ApproximateNumberOfMessagesMoved!;
    expect(moved).toBeLessThan(60);
    expect(await count(source)).toBe(moved);
    expect(await count(dlq)).toBe(60 - moved);
  }, 30_000);

  it("moves only the messages that were in the dead-letter queue when the task started", async () => {
    const { dlq, source } = await fillDeadLetters(sqs, 20);
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, MaxNumberOfMessagesPerSecond: 5 }));
    // A new dead letter arrives (from a second source) while the task runs: it stays for a later task.
    const other = await createQueue(sqs, "src2", { RedrivePolicy: redrive(dlq, 1), VisibilityTimeout: "0" });
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: other.url, Entries: [{ Id: "late", MessageBody: "late" }] }));
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl: other.url }));
    expect(first.Messages?.map((m) => m.Body)).toEqual(["late"]);
    const second = await sqs.send(new ReceiveMessageCommand({ QueueUrl: other.url }));
    expect(second.Messages).toBeUndefined();
    let task = (await tasks(dlq))[0]!;
    for (let i = 0; i < 40 && task.Status === "RUNNING"; i++) {
      await sleep(500);
      task = (await tasks(dlq))[0]!;
    }
    expect(task).toMatchObject({ Status: "COMPLETED", ApproximateNumberOfMessagesToMove: 20 });
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url, MaxNumberOfMessages: 10 }));
    expect(Messages.map((m) => m.Body)).toEqual(["late"]);
    expect(await count(source)).toBe(20);
  }, 30_000);

  it("answers the SQS errors for bad sources, destinations and handles", async () => {
    const plain = await createQueue(sqs, "plain");
    const notDlq = await rejection(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: plain.arn })));
    expect(notDlq.name).toBe("InvalidParameterValue");
    expect(notDlq.message).toBe("Source queue must be configured as a Dead Letter Queue.");
    const missing = await rejection(
      sqs.send(new StartMessageMoveTaskCommand({ SourceArn: plain.arn.replace(/:[^:]+$/, ":nope") })),
    );
    expect(missing.name).toBe("ResourceNotFoundException");
    const malformed = await rejection(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: "not-an-arn" })));
    expect(malformed.name).toBe("InvalidParameterValue");
    const badHandle = await rejection(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: "garbage" })));
    expect(badHandle.name).toBe("InvalidParameterValue");
    const unknownTask = await rejection(
      sqs.send(
        new CancelMessageMoveTaskCommand({
          TaskHandle: Buffer.from(JSON.stringify({ taskId: "nope", sourceArn: plain.arn })).toString("base64"),
        }),
      ),
    );
    expect(unknownTask.name).toBe("ResourceNotFoundException");
    expect(await tasks(plain)).toEqual([]);
  });
});
