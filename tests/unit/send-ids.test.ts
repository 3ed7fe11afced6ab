/**
 * A send the Worker retries carries the first attempt's caller-chosen id (NewMessage.sendId): the
 * queue object answers it with the first send's result and does not store the message again, for
 * a minute and across a restart (the ids are rebuilt from the segments' meta).
 */
import { describe, expect, it } from "vitest";
import type { NewMessage } from "../../durable-objects/queue/types.js";
import { createFifoQueue } from "./fifo-clocked-queue.js";
import { ClockedQueue } from "./queue-clock.js";

const message = (body: string, sendId?: string, extra: Partial<NewMessage> = {}): NewMessage => ({
  body,
  md5Body: "md5",
  size: body.length,
  senderId: "000000000000",
  ...(sendId === undefined ? {} : { sendId }),
  ...extra,
});

/** Sends through the queue object's RPC, as the Worker does; returns each entry's MessageId (or error code). */
async function send(queue: ClockedQueue, messages: NewMessage[], batch = messages.length > 1) {
  const outcome = await queue.inside((instance) => instance.send(messages, batch));
  if (!outcome.ok) throw new Error(`send failed: ${outcome.error.code}`);
  return outcome.value.map((r) => (r.ok ? r.value : r.error.code));
}

describe("caller-chosen send ids", () => {
  it("answers a repeated id with the first send's result, without storing the message again", async () => {
    const queue = await ClockedQueue.create("send-ids");
    const [first] = await send(queue, [message("hello", "send-1")]);
    const [again] = await send(queue, [message("hello", "send-1")]);
    expect(again).toEqual(first);
    expect(await queue.storedMessages()).toBe(1);
    // A send without an id, or with another, is a new message.
    const [plain] = await send(queue, [message("hello")]);
    const [other] = await send(queue, [message("hello", "send-2")]);
    expect(plain).not.toEqual(first);
    expect(other).not.toEqual(first);
    expect(await queue.storedMessages()).toBe(3);
  });

  it("recognises the ids of a batch, entry by entry", async () => {
    const queue = await ClockedQueue.create("send-ids-batch");
    const first = await send(queue, [message("a", "batch-a"), message("b", "batch-b")]);
    const again = await send(queue, [message("a", "batch-a"), message("b", "batch-b"), message("c", "batch-c")]);
    expect(again.slice(0, 2)).toEqual(first);
    expect(await queue.storedMessages()).toBe(3);
  });

  it("still recognises an id after a restart, also of a message deleted since", async () => {
    const queue = await ClockedQueue.create("send-ids-restart");
    const [kept] = await send(queue, [message("kept", "id-kept")]);
    const [gone] = await send(queue, [message("gone", "id-gone")]);
    const received = await queue.receive();
    const deleted = received.find((m) => m.Body === "gone")!;
    await queue.ok("DeleteMessage", { ReceiptHandle: deleted.ReceiptHandle });
    expect(await queue.storedMessages()).toBe(1);

    await queue.restart();
    expect(await send(queue, [message("kept", "id-kept"), message("gone", "id-gone")])).toEqual([kept, gone]);
    expect(await queue.storedMessages()).toBe(1);
  });

  it("forgets an id once its window has passed", async () => {
    const queue = await ClockedQueue.create("send-ids-window");
    const [first] = await send(queue, [message("once", "id-window")]);
    queue.advance(40_000);
    expect(await send(queue, [message("once", "id-window")])).toEqual([first]);
    queue.advance(30_000);
    const [later] = await send(queue, [message("once", "id-window")]);
    expect(later).not.toEqual(first);
    expect(await queue.storedMessages()).toBe(2);
  });

  it("answers a repeated FIFO send with its SequenceNumber", async () => {
    const queue = await createFifoQueue("send-ids-fifo");
    const fifo = (dedupId: string) => message("f", "fifo-send", { groupId: "g", dedupId });
    const [first] = await send(queue, [fifo("d1")]);
    // Even with another deduplication id: the send id names the same send.
    const [again] = await send(queue, [fifo("d2")]);
    expect(again).toEqual(first);
    expect((first as { sequenceNumber?: string }).sequenceNumber).toBeDefined();
    await queue.restart();
    expect(await send(queue, [fifo("d3")])).toEqual([first]);
    expect(await queue.storedMessages()).toBe(1);
  });
});
