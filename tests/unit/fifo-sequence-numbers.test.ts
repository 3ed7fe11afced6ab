/**
 * FIFO SequenceNumbers look like AWS's (20 digits) and strictly increase for the queue's whole
 * life: after it empties, after its object restarts, even when the clock it wakes with is behind.
 */
import { env } from "cloudflare:test";
import { expect, it } from "vitest";
import { QueueObject } from "../../durable-objects/queue/queue-object.js";
import type { NewMessage } from "../../durable-objects/queue/types.js";
import { createFifoQueue, sendFifo } from "./fifo-clocked-queue.js";

const HOUR_MS = 3_600_000;
const TWENTY_DIGITS = /^[1-9]\d{19}$/;

const message = (dedupId: string): NewMessage => ({
  body: "after restart",
  md5Body: "0c2f8b5a1d7e5cbd6d64b0b7de1a3e8c",
  size: 13,
  groupId: "g",
  dedupId,
  senderId: "test",
});

it("issues 20-digit sequence numbers that keep increasing across an empty queue and a restart", async () => {
  const queue = await createFifoQueue("sequence");
  const first = await sendFifo(queue, "one", "d1");
  const second = await sendFifo(queue, "two", "d2");
  expect(first.SequenceNumber).toMatch(TWENTY_DIGITS);
  expect(second.SequenceNumber).toMatch(TWENTY_DIGITS);
  expect(BigInt(second.SequenceNumber)).toBeGreaterThan(BigInt(first.SequenceNumber));

  // Empty the queue, so no stored message remembers how far the numbers went.
  const received = await queue.receive();
  expect(received.map((m) => m.Body)).toEqual(["one", "two"]);
  for (const m of received) await queue.ok("DeleteMessage", { ReceiptHandle: m.ReceiptHandle });
  expect(await queue.storedMessages()).toBe(0);

  // A new instance over the same storage is what a restart gives; its clock is an hour behind.
  queue.advance(-HOUR_MS);
  const afterRestart = await queue.inside(async (_, state) => {
    const restarted = new QueueObject(state, env);
    restarted.clock = { now: () => queue.now };
    // The constructor loads the stored state in blockConcurrencyWhile; let it run.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const outcome = await restarted.send([message("d3"), message("d4")], true);
    if (!outcome.ok) throw new Error(outcome.error.message);
    return outcome.value.map((r) => (r.ok ? r.value.sequenceNumber! : r.error.message));
  });
  for (const sequenceNumber of afterRestart) {
    expect(sequenceNumber).toMatch(TWENTY_DIGITS);
    expect(BigInt(sequenceNumber)).toBeGreaterThan(BigInt(second.SequenceNumber));
  }
  expect(BigInt(afterRestart[1]!)).toBeGreaterThan(BigInt(afterRestart[0]!));
});
