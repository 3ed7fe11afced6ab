/** Message and queue delays on a moved clock. */
import { describe, expect, it } from "vitest";
import { ClockedQueue } from "./queue-clock.js";

describe("delays on the queue's clock", () => {
  it("keeps a message delayed for exactly its DelaySeconds", async () => {
    const queue = await ClockedQueue.create("delay-message");
    const id = await queue.send("m", { DelaySeconds: 900 });
    queue.advance(899_999);
    expect(await queue.counts()).toEqual({ visible: 0, notVisible: 0, delayed: 1 });
    expect(await queue.receive()).toEqual([]);
    queue.advance(1);
    expect(await queue.counts()).toEqual({ visible: 1, notVisible: 0, delayed: 0 });
    expect((await queue.receive()).map((m) => m.MessageId)).toEqual([id]);
  });

  it("delays every message by the queue's DelaySeconds unless the message says otherwise", async () => {
    const queue = await ClockedQueue.create("delay-queue", { DelaySeconds: "120" });
    const queued = await queue.send("queue delay");
    const own = await queue.send("own delay", { DelaySeconds: 10 });
    queue.advance(10_000);
    expect((await queue.receive({ VisibilityTimeout: 3600 })).map((m) => m.MessageId)).toEqual([own]);
    queue.advance(109_999);
    expect(await queue.receive()).toEqual([]);
    queue.advance(1);
    expect((await queue.receive()).map((m) => m.MessageId)).toEqual([queued]);
  });

  it("delivers delayed messages in the order they become due", async () => {
    const queue = await ClockedQueue.create("delay-order");
    const late = await queue.send("late", { DelaySeconds: 60 });
    const early = await queue.send("early", { DelaySeconds: 30 });
    queue.advance(61_000);
    expect((await queue.receive()).map((m) => m.MessageId)).toEqual([early, late]);
  });
});
