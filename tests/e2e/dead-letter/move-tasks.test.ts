import {
  CancelMessageMoveTaskCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient, endpoint } from "../clients.js";
import { OTHER_KEY } from "../../keys.js";
import {
  countMessages,
  createQueue,
  fillDeadLetters,
  listTasks,
  redrive,
  rejection,
  settledTask,
  type CreatedQueue,
} from "./dead-letter-helpers.js";

const sqs = awsClient();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const count = (queue: CreatedQueue) => countMessages(sqs, queue);
const tasks = (dlq: CreatedQueue) => listTasks(sqs, dlq);

// A partitioned dead-letter queue runs one task per partition, listed and cancelled as one
// (durable-objects/partitions.md); every case here holds for it too.
describe.each([1, 4])("message move tasks, queues of %i partition(s)", (partitions) => {
  it("redrives 1,000 dead letters back to their source at the requested rate", async () => {
    const { dlq, source } = await fillDeadLetters(sqs, 1000, partitions);
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

  it("lists a task COMPLETED, without a TaskHandle, as soon as it has moved every message", async () => {
    // Recorded against AWS: moved = to-move is COMPLETED, never RUNNING.
    const { dlq } = await fillDeadLetters(sqs, 3, partitions);
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
    const deadline = Date.now() + 10_000;
    let task = (await tasks(dlq))[0]!;
    while (task.ApproximateNumberOfMessagesMoved! < 3 && Date.now() < deadline) {
      await sleep(50);
      task = (await tasks(dlq))[0]!;
    }
    expect(task).toMatchObject({ ApproximateNumberOfMessagesMoved: 3, ApproximateNumberOfMessagesToMove: 3 });
    expect(task.Status).toBe("COMPLETED");
    expect(task.TaskHandle).toBeUndefined();
  });

  it("can be cancelled mid-way, losing and duplicating nothing", async () => {
    const { dlq, source } = await fillDeadLetters(sqs, 60, partitions);
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
    const { dlq, source } = await fillDeadLetters(sqs, 20, partitions);
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, MaxNumberOfMessagesPerSecond: 5 }));
    // A new dead letter arrives (from a second source) while the task runs: it stays for a later task.
    const other = await createQueue(sqs, "src2", { RedrivePolicy: redrive(dlq, 1), VisibilityTimeout: "0" }, false, partitions);
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

  it("redrives dead letters as new messages: new MessageId, SentTimestamp and receive count", async () => {
    const dlq = await createQueue(sqs, "dlq", {}, false, partitions);
    const source = await createQueue(sqs, "src", { RedrivePolicy: redrive(dlq, 1), VisibilityTimeout: "0" }, false, partitions);
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: source.url,
        MessageBody: "once more",
        MessageAttributes: { colour: { DataType: "String", StringValue: "blue" } },
      }),
    );
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: source.url }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: source.url }));
    const { Messages: [dead] = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlq.url, VisibilityTimeout: 0, WaitTimeSeconds: 2, MessageSystemAttributeNames: ["All"] }),
    );
    // The move to the dead-letter queue itself keeps the message's identity.
    expect(dead?.MessageId).toBe(sent.MessageId);
    const sentAt = Number(dead!.Attributes!.SentTimestamp);

    const started = Date.now();
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
    expect(await settledTask(sqs, dlq)).toMatchObject({ Status: "COMPLETED", ApproximateNumberOfMessagesMoved: 1 });
    // A long poll: a short poll samples some of a partitioned queue's partitions, as SQS's samples
    // some of its servers, and may miss the one message the task moved into one of them.
    const { Messages: [redriven] = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: source.url, WaitTimeSeconds: 2, MessageSystemAttributeNames: ["All"], MessageAttributeNames: ["All"] }),
    );
    expect(redriven?.Body).toBe("once more");
    expect(redriven?.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
    expect(redriven?.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(redriven?.MessageId).not.toBe(sent.MessageId);
    expect(Number(redriven!.Attributes!.SentTimestamp)).toBeGreaterThanOrEqual(started);
    expect(Number(redriven!.Attributes!.SentTimestamp)).toBeGreaterThan(sentAt);
    expect(redriven?.Attributes?.ApproximateReceiveCount).toBe("1");
    expect(redriven?.Attributes?.DeadLetterQueueSourceArn).toBeUndefined();
  });
});

describe("message move tasks", () => {
  it("redrives a FIFO dead-letter queue group by group, never past an earlier message in flight", async () => {
    const dlq = await createQueue(sqs, "fdlq", {}, true);
    const source = await createQueue(
      sqs,
      "fsrc",
      { RedrivePolicy: redrive(dlq, 1), VisibilityTimeout: "0", ContentBasedDeduplication: "true" },
      true,
    );
    for (const [group, body] of [["a", "a1"], ["b", "b1"], ["a", "a2"], ["b", "b2"], ["a", "a3"]] as const) {
      await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: body, MessageGroupId: group }));
    }
    for (let i = 0; i < 20 && (await count(dlq)) < 5; i++) {
      await sqs.send(new ReceiveMessageCommand({ QueueUrl: source.url, MaxNumberOfMessages: 10 }));
    }
    expect(await count(dlq)).toBe(5);
    // A consumer of the dead-letter queue holds the head of group a.
    const { Messages: held = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlq.url, MaxNumberOfMessages: 1, VisibilityTimeout: 60 }),
    );
    expect(held.map((m) => m.Body)).toEqual(["a1"]);

    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
    for (let i = 0; i < 40 && (await count(source)) < 2; i++) await sleep(250);
    // Give the task a few more steps in which group a must not move.
    await sleep(2_500);
    expect(await count(source)).toBe(2);
    expect(await count(dlq)).toBe(3);
    expect((await tasks(dlq))[0]?.Status).toBe("RUNNING");

    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: dlq.url, ReceiptHandle: held[0]!.ReceiptHandle, VisibilityTimeout: 0 }));
    expect(await settledTask(sqs, dlq)).toMatchObject({ Status: "COMPLETED", ApproximateNumberOfMessagesMoved: 5 });
    const byGroup: Record<string, string[]> = {};
    for (let i = 0; i < 10; i++) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: source.url,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 30,
          MessageSystemAttributeNames: ["MessageGroupId"],
        }),
      );
      for (const m of Messages) {
        (byGroup[m.Attributes!.MessageGroupId!] ??= []).push(m.Body!);
        await sqs.send(new DeleteMessageCommand({ QueueUrl: source.url, ReceiptHandle: m.ReceiptHandle }));
      }
    }
    expect(byGroup).toEqual({ a: ["a1", "a2", "a3"], b: ["b1", "b2"] });
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

  it("answers a task handle whose source ARN names no queue, in any account, with ResourceNotFoundException", async () => {
    const handle = (sourceArn: string) => Buffer.from(JSON.stringify({ taskId: "t", sourceArn })).toString("base64");
    for (const sourceArn of [
      "arn:aws:sqs:us-east-1:000000000000:no-such-queue",
      "arn:aws:sqs:us-east-1:999999999999:no-such-queue",
      "arn:aws:sqs:us-east-1:000000000000:not a queue name",
      "arn:aws:sns:us-east-1:000000000000:a-topic",
    ]) {
      const error = await rejection(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: handle(sourceArn) })));
      expect(error.name, sourceArn).toBe("ResourceNotFoundException");
    }
    // Another account's queue that does exist stays refused.
    const existing = await createQueue(sqs, "cancel-foreign");
    const other = new SQSClient({ endpoint: endpoint(), region: "us-east-1", credentials: OTHER_KEY, maxAttempts: 1 });
    const denied = await rejection(other.send(new CancelMessageMoveTaskCommand({ TaskHandle: handle(existing.arn) })));
    expect(denied.name).toBe("AccessDenied");
    other.destroy();
  });
});
