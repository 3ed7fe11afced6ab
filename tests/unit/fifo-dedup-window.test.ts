/**
 * The FIFO deduplication window is five minutes from the first send:
 * a duplicate inside it returns the original MessageId, one after it is a new message, and the
 * queue's alarm removes the expired deduplication records.
 */
import { expect, it } from "vitest";
import { createFifoQueue, sendFifo } from "./fifo-clocked-queue.js";

const MINUTE_MS = 60_000;

it("ends the deduplication window after five minutes, and the alarm cleans the expired ids", async () => {
  const queue = await createFifoQueue("dedup-window");
  const dedupRows = () =>
    queue.inside((_, state) => state.storage.sql.exec<{ id: string }>("SELECT dedup_key AS id FROM dedup ORDER BY dedup_key").toArray().map((r) => r.id));

  const original = await sendFifo(queue, "first", "same-id");
  await sendFifo(queue, "other", "other-id");
  queue.advance(4 * MINUTE_MS);
  const duplicate = await sendFifo(queue, "first again", "same-id");
  expect(duplicate.MessageId).toBe(original.MessageId);
  expect(duplicate.SequenceNumber).toBe(original.SequenceNumber);
  expect(await queue.storedMessages()).toBe(2);

  // Five minutes after the first send (not the duplicate) the id is free again.
  queue.advance(MINUTE_MS + 1);
  const fresh = await sendFifo(queue, "first, later", "same-id");
  expect(fresh.MessageId).not.toBe(original.MessageId);
  expect(BigInt(fresh.SequenceNumber)).toBeGreaterThan(BigInt(original.SequenceNumber));
  expect(await queue.storedMessages()).toBe(3);

  expect(await dedupRows()).toEqual(["other-id", "same-id"]);
  expect(await queue.runAlarm()).toBe(true);
  // other-id's window ended with same-id's first one; same-id now belongs to the fresh send.
  expect(await dedupRows()).toEqual(["same-id"]);
  const bodies = (await queue.receive()).map((m) => m.Body);
  expect(bodies).toEqual(["first", "other", "first, later"]);
});
