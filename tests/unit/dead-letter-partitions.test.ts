/**
 * Dead letters into a partitioned dead-letter queue (durable-objects/partitions.md): a move
 * interrupted after its copy arrived is retried into the partitions that recognise the copy, even
 * when the dead-letter queue gained partitions meanwhile.
 */
import { expect, it } from "vitest";
import { ClockedQueue } from "./queue-clock.js";

const ACCOUNT = "000000000000";
/** How long a claimed dead letter stays hidden (MOVE_LEASE_MS). */
const LEASE_MS = 30_000;
const TAG = "sluice:partitions";

it("retries an interrupted move with the partition count of its first copy: no duplicate after a raise", async () => {
  const dlq = new ClockedQueue(`pdlq-${crypto.randomUUID()}`);
  await dlq.installClock();
  await dlq.ok("CreateQueue", { QueueName: dlq.name, tags: { [TAG]: "2" } });
  const source = await ClockedQueue.create("psrc", {
    VisibilityTimeout: "0",
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:${dlq.name}`, maxReceiveCount: 1 }),
  });
  const bodies = Array.from({ length: 8 }, (_, i) => `poison-${i}`);
  for (const body of bodies) await source.send(body);
  expect(await source.receive()).toHaveLength(8);

  // The next receive claims all eight and copies them over the DLQ's two partitions; a fault
  // after the first partition accepted its part stands for a restart before the deletes.
  let faults = 0;
  await source.inside((queue) => {
    queue.faultAfterCopy = () => {
      faults += 1;
      throw new Error("simulated restart between the dead-letter copy and the delete");
    };
  });
  await source.call("ReceiveMessage", { MaxNumberOfMessages: 10 });
  await source.inside((queue) => {
    queue.faultAfterCopy = undefined;
  });
  expect(faults).toBeGreaterThan(0);
  expect(await source.storedMessages()).toBe(8);
  const copiedFirst = (await dlq.counts()).visible;
  expect(copiedFirst).toBeGreaterThan(0);

  // The DLQ now has eight partitions: by the new count most letters would go elsewhere.
  await dlq.ok("TagQueue", { Tags: { [TAG]: "8" } });
  // Past the claims' lease, and past the time the source trusts a partition count it read.
  source.advance(LEASE_MS + 11_000);
  await source.runAlarm();
  expect(await source.storedMessages()).toBe(0);
  expect(await dlq.counts()).toEqual({ visible: 8, notVisible: 0, delayed: 0 });
  const moved = await dlq.receive({ VisibilityTimeout: 60 });
  const more = await dlq.receive({ VisibilityTimeout: 60 });
  expect([...moved, ...more].map((m) => m.Body).sort()).toEqual(bodies);
});
