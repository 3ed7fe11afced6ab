import { expect, it } from "vitest";
import { ClockedQueue } from "./queue-clock.js";

const ACCOUNT = "000000000000";
/** How long a claimed dead letter stays hidden (MOVE_LEASE_MS). */
const LEASE_MS = 30_000;
/** Longer than the dead-letter queue remembers a copy (the five-minute deduplication window). */
const LONG_AFTER_MS = 10 * 60_000;

const arnOf = (queue: ClockedQueue) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${queue.name}`;

async function interruptedMove() {
  const dlq = await ClockedQueue.create("dlq");
  const source = await ClockedQueue.create("src", {
    VisibilityTimeout: "0",
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arnOf(dlq), maxReceiveCount: 1 }),
  });
  const messageId = await source.send("poison");
  const [first] = await source.receive();
  expect(first?.MessageId).toBe(messageId);
  let faults = 0;
  await source.inside((queue) => {
    queue.faultAfterCopy = () => {
      faults += 1;
      throw new Error("simulated restart between the dead-letter copy and the delete");
    };
  });
  // This receive claims the dead letter, copies it to the DLQ, and dies before deleting it here.
  await source.call("ReceiveMessage", { MaxNumberOfMessages: 10 });
  await source.inside((queue) => {
    queue.faultAfterCopy = undefined;
  });
  expect(faults).toBe(1);
  expect(await dlq.storedMessages()).toBe(1);
  expect(await source.storedMessages()).toBe(1);
  const advance = (ms: number) => {
    source.advance(ms);
    dlq.advance(ms);
  };
  return { dlq, source, messageId, first: first!, advance };
}

it("makes receipt handles given out before a dead-letter claim stale", async () => {
  const { source, first } = await interruptedMove();
  const change = await source.call("ChangeMessageVisibility", { ReceiptHandle: first.ReceiptHandle, VisibilityTimeout: 0 });
  expect(change.status).toBe(400);
  expect(change.body.__type).toMatch(/InvalidParameterValue/);
  expect(change.body.message).toMatch(/not available for visibility timeout change/);
  // Still claimed: no receive gets it while the move is pending.
  expect(await source.receive()).toEqual([]);
});

it("retries an interrupted dead-letter move on the alarm, before the copy is forgotten: no duplicate", async () => {
  const { dlq, source, messageId, advance } = await interruptedMove();
  // The alarm is armed for the end of the claim's lease, not for the next receive.
  const alarmAt = await source.alarmAt();
  expect(alarmAt).not.toBeNull();
  expect(alarmAt!).toBeLessThanOrEqual(source.now + LEASE_MS);

  advance(LEASE_MS + 1_000);
  await source.runAlarm();
  expect(await source.storedMessages()).toBe(0);
  expect(await dlq.storedMessages()).toBe(1);

  // Long after the dead-letter queue forgot the copy, nothing moves a second time.
  advance(LONG_AFTER_MS);
  await dlq.runAlarm();
  await source.runAlarm();
  expect(await source.receive()).toEqual([]);
  const moved = await dlq.receive();
  expect(moved.map((m) => m.MessageId)).toEqual([messageId]);
  expect(moved[0]?.Attributes?.DeadLetterQueueSourceArn).toBe(arnOf(source));
  expect(await dlq.storedMessages()).toBe(1);
});
