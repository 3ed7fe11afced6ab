import {
  DeleteQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient } from "../clients.js";
import {
  countMessages,
  createQueue,
  fillDeadLetters,
  listTasks,
  redrive,
  rejection,
  settledTask,
} from "./dead-letter-helpers.js";

const sqs = awsClient();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("message move tasks that fail", () => {
  it("ends FAILED with CouldNotDetermineMessageSource at a message sent straight to the dead-letter queue", async () => {
    const { dlq, source } = await fillDeadLetters(sqs, 3);
    await sqs.send(new SendMessageCommand({ QueueUrl: dlq.url, MessageBody: "sent directly" }));
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
    const task = await settledTask(sqs, dlq);
    expect(task).toMatchObject({
      Status: "FAILED",
      FailureReason: "CouldNotDetermineMessageSource",
      ApproximateNumberOfMessagesToMove: 4,
      ApproximateNumberOfMessagesMoved: 3,
    });
    expect(task?.TaskHandle).toBeUndefined();
    // The dead letters before it went home; it stays in the dead-letter queue, receivable.
    expect(await countMessages(sqs, source)).toBe(3);
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlq.url, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
    );
    expect(Messages.map((m) => m.Body)).toEqual(["sent directly"]);

    // The failed task no longer blocks the queue: a task with a destination can move it.
    const other = await createQueue(sqs, "dest");
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, DestinationArn: other.arn }));
    const retried = await settledTask(sqs, dlq);
    expect(retried).toMatchObject({ Status: "COMPLETED", ApproximateNumberOfMessagesMoved: 1 });
    expect(await countMessages(sqs, other)).toBe(1);
    expect(await countMessages(sqs, dlq)).toBe(0);
  });

  it("ends FAILED with NonExistentQueue when the destination is deleted mid-task, losing nothing left", async () => {
    const { dlq } = await fillDeadLetters(sqs, 40);
    const destination = await createQueue(sqs, "dest");
    await sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, DestinationArn: destination.arn, MaxNumberOfMessagesPerSecond: 5 }),
    );
    for (let i = 0; i < 40 && ((await listTasks(sqs, dlq))[0]?.ApproximateNumberOfMessagesMoved ?? 0) === 0; i++) {
      await sleep(250);
    }
    await sqs.send(new DeleteQueueCommand({ QueueUrl: destination.url }));
    const task = await settledTask(sqs, dlq);
    expect(task).toMatchObject({
      Status: "FAILED",
      FailureReason: "AWS.SimpleQueueService.NonExistentQueue",
      DestinationArn: destination.arn,
      ApproximateNumberOfMessagesToMove: 40,
    });
    const moved = task!.ApproximateNumberOfMessagesMoved!;
    expect(moved).toBeGreaterThan(0);
    expect(moved).toBeLessThan(40);
    // What was not moved is still in the dead-letter queue, and visible again.
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlq.url, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
    );
    expect(Messages.length).toBeGreaterThan(0);
    expect(await countMessages(sqs, dlq)).toBe(40 - moved);
  });

  it("rejects a destination whose queue type differs from the source's", async () => {
    const standardDlq = await createQueue(sqs, "dlq");
    await createQueue(sqs, "src", { RedrivePolicy: redrive(standardDlq, 3) });
    const fifoDlq = await createQueue(sqs, "fdlq", {}, true);
    await createQueue(sqs, "fsrc", { RedrivePolicy: redrive(fifoDlq, 3) }, true);
    const fifoDestination = await createQueue(sqs, "fdest", {}, true);
    const standardDestination = await createQueue(sqs, "dest");
    for (const [source, destination] of [
      [standardDlq, fifoDestination],
      [fifoDlq, standardDestination],
    ] as const) {
      const error = await rejection(
        sqs.send(new StartMessageMoveTaskCommand({ SourceArn: source.arn, DestinationArn: destination.arn })),
      );
      expect(error.name).toBe("InvalidParameterValue");
      expect(error.message).toMatch(/same queue type/);
      expect(await listTasks(sqs, source)).toEqual([]);
    }
  });
});
