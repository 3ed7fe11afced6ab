/**
 * MessageRetentionPeriod: an expired message is never delivered, the
 * alarm deletes it whatever its state, and re-arms itself for the next expiry.
 */
import { describe, expect, it } from "vitest";
import { ClockedQueue } from "./queue-clock.js";

const RETENTION_S = 60;

describe("retention", () => {
  it("never delivers a message once its retention period has passed, even before the alarm runs", async () => {
    const queue = await ClockedQueue.create("retention-hidden", { MessageRetentionPeriod: String(RETENTION_S) });
    await queue.send("old");
    queue.advance(30_000);
    const young = await queue.send("young");
    queue.advance(30_000);
    expect((await queue.receive({ VisibilityTimeout: 0 })).map((m) => m.MessageId)).toEqual([young]);
    expect(await queue.counts()).toEqual({ visible: 1, notVisible: 0, delayed: 0 });
  });

  it("deletes expired messages on the alarm and re-arms it for the next expiry", async () => {
    const queue = await ClockedQueue.create("retention-alarm", { MessageRetentionPeriod: String(RETENTION_S) });
    const start = queue.now;
    await queue.send("first");
    expect(await queue.alarmAt()).toBe(start + RETENTION_S * 1000);

    queue.advance(20_000);
    await queue.send("second");
    // The earlier expiry stays the alarm.
    expect(await queue.alarmAt()).toBe(start + RETENTION_S * 1000);

    queue.advance(40_000);
    expect(await queue.runAlarm()).toBe(true);
    expect(await queue.storedMessages()).toBe(1);
    expect(await queue.alarmAt()).toBe(start + 20_000 + RETENTION_S * 1000);

    queue.advance(20_000);
    expect(await queue.runAlarm()).toBe(true);
    expect(await queue.storedMessages()).toBe(0);
    expect(await queue.alarmAt()).toBeNull();
    expect(await queue.receive()).toEqual([]);
  });

  it("deletes expired messages that are in flight or still delayed", async () => {
    const queue = await ClockedQueue.create("retention-states", { MessageRetentionPeriod: String(RETENTION_S) });
    await queue.send("in flight");
    await queue.send("delayed", { DelaySeconds: 900 });
    const [inFlight] = await queue.receive({ VisibilityTimeout: 3_600 });
    expect(inFlight?.Body).toBe("in flight");
    expect(await queue.counts()).toEqual({ visible: 0, notVisible: 1, delayed: 1 });

    queue.advance(RETENTION_S * 1000);
    expect(await queue.counts()).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
    await queue.runAlarm();
    expect(await queue.storedMessages()).toBe(0);
    // Deleting a message that expired is still fine: DeleteMessage is idempotent.
    await queue.ok("DeleteMessage", { ReceiptHandle: inFlight!.ReceiptHandle });
  });

  it("keeps a message for exactly its retention period", async () => {
    const queue = await ClockedQueue.create("retention-edge", { MessageRetentionPeriod: String(RETENTION_S) });
    const id = await queue.send("edge");
    queue.advance(RETENTION_S * 1000 - 1);
    await queue.runAlarm();
    expect(await queue.storedMessages()).toBe(1);
    expect((await queue.receive()).map((m) => m.MessageId)).toEqual([id]);
  });

  it("applies a shortened retention period to messages already stored", async () => {
    const queue = await ClockedQueue.create("retention-shortened");
    await queue.send("kept for days, then for a minute");
    queue.advance(120_000);
    await queue.ok("SetQueueAttributes", { Attributes: { MessageRetentionPeriod: String(RETENTION_S) } });
    expect(await queue.receive()).toEqual([]);
    await queue.runAlarm();
    expect(await queue.storedMessages()).toBe(0);
  });
});
