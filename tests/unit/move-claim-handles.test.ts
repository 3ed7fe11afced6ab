/**
 * A standard queue lets an earlier receipt handle change visibility (visibility.ts), but not
 * while a move task holds the message: a consumer must not hand back a message mid-move.
 */
import { expect, it } from "vitest";
import { ClockedQueue } from "./queue-clock.js";

const ACCOUNT = "000000000000";
const arnOf = (queue: ClockedQueue) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${queue.name}`;

it("refuses an earlier receipt handle while a move task's step holds the message", async () => {
  const dlq = await ClockedQueue.create("dlq");
  const source = await ClockedQueue.create("src", {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arnOf(dlq), maxReceiveCount: 1 }),
  });
  await dlq.send("held");
  const [received] = await dlq.receive({ VisibilityTimeout: 0 });
  let faults = 0;
  await dlq.inside((queue) => {
    queue.faultAfterCopy = () => {
      faults += 1;
      throw new Error("simulated restart between copy and delete");
    };
  });
  await dlq.ok("StartMessageMoveTask", { SourceArn: arnOf(dlq), DestinationArn: arnOf(source) });
  // The task's first step runs on the alarm it just set; it claims, copies, and dies before the delete.
  // The runtime may fire that alarm itself, or our run may be the one that meets the fault and
  // rethrows it: either way the fault is the expected outcome, any other error is not.
  for (let i = 0; i < 50 && faults === 0; i++) {
    await dlq.runAlarm().catch(expectSimulatedFault);
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(faults).toBe(1);
  await dlq.inside((queue) => {
    queue.faultAfterCopy = undefined;
  });

  const change = await dlq.call("ChangeMessageVisibility", { ReceiptHandle: received!.ReceiptHandle, VisibilityTimeout: 0 });
  expect(change.status).toBe(400);
  expect(change.body.__type).toMatch(/InvalidParameterValue/);
  // Still claimed by the step: no receive gets it while the move is unfinished.
  expect(await dlq.receive()).toEqual([]);
});

function expectSimulatedFault(error: unknown): void {
  if (!String(error).includes("simulated restart between copy and delete")) throw error;
}
