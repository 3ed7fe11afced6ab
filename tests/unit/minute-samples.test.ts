/**
 * The per-minute samples behind the console's charts: counted in memory, stored as one row when
 * a later minute's first activity comes, none while the queue is idle, in a ring that never
 * holds more than SAMPLE_MINUTES rows.
 */
import { describe, expect, it } from "vitest";
import { SAMPLE_MINUTES, type MinuteSample } from "../../durable-objects/queue/samples.js";
import { ClockedQueue } from "./queue-clock.js";

const MINUTE = 60_000;

function storedRows(queue: ClockedQueue): Promise<number> {
  return queue.inside((_, state) => Number(state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM minute_samples").one().n));
}

function samples(queue: ClockedQueue): Promise<MinuteSample[]> {
  return queue.inside((instance) => {
    const outcome = instance.minuteSamples();
    if (!outcome.ok) throw new Error("minuteSamples failed");
    return outcome.value;
  });
}

async function aligned(prefix: string): Promise<ClockedQueue> {
  const queue = await ClockedQueue.create(prefix);
  queue.now = Math.ceil(queue.now / MINUTE) * MINUTE + 1_000;
  return queue;
}

describe("per-minute samples", () => {
  it("counts a minute in memory and stores it, with the depth at its end, at the next minute's first activity", async () => {
    const queue = await aligned("samples-minute");
    const start = Math.floor(queue.now / MINUTE) * MINUTE;
    for (const body of ["a", "b", "c"]) await queue.send(body);
    const [taken] = await queue.receive({ MaxNumberOfMessages: 1, VisibilityTimeout: 600 });
    await queue.ok("DeleteMessage", { ReceiptHandle: taken!.ReceiptHandle });
    const [held] = await queue.receive({ MaxNumberOfMessages: 1, VisibilityTimeout: 600 });
    expect(held).toBeDefined();
    expect(await storedRows(queue)).toBe(0);
    expect(await samples(queue)).toEqual([{ at: start, sent: 3, received: 2, deleted: 1, visible: 1, inFlight: 1, delayed: 0 }]);

    queue.advance(MINUTE);
    await queue.send("d", { DelaySeconds: 300 });
    expect(await storedRows(queue)).toBe(1);
    expect(await samples(queue)).toEqual([
      { at: start, sent: 3, received: 2, deleted: 1, visible: 1, inFlight: 1, delayed: 0 },
      { at: start + MINUTE, sent: 1, received: 0, deleted: 0, visible: 1, inFlight: 1, delayed: 1 },
    ]);
  });

  it("writes nothing while the queue is idle, however long, and reads do not write", async () => {
    const queue = await aligned("samples-idle");
    await queue.send("a");
    queue.advance(MINUTE);
    await queue.send("b");
    expect(await storedRows(queue)).toBe(1);
    const written = await queue.inside((instance) => instance.sqlStats().rowsWritten);
    for (let i = 0; i < 30; i++) {
      queue.advance(MINUTE);
      await samples(queue);
      await queue.counts();
    }
    expect(await queue.inside((instance) => instance.sqlStats().rowsWritten)).toBe(written);
    expect(await storedRows(queue)).toBe(1);
    // The next activity stores only the minute it had been counting.
    await queue.send("c");
    expect(await storedRows(queue)).toBe(2);
    const shown = await samples(queue);
    expect(shown.map((sample) => sample.sent)).toEqual([1, 1, 1]);
  });

  it("keeps at most SAMPLE_MINUTES rows, one a minute, the oldest overwritten", async () => {
    const queue = await aligned("samples-ring");
    const minutes = SAMPLE_MINUTES + 15;
    for (let i = 0; i < minutes; i++) {
      await queue.send(`m${i}`);
      queue.advance(MINUTE);
    }
    expect(await storedRows(queue)).toBe(SAMPLE_MINUTES);
    await queue.send("last");
    expect(await storedRows(queue)).toBe(SAMPLE_MINUTES);
    const shown = await samples(queue);
    // The stored minutes still within the window, then the minute being counted.
    expect(shown).toHaveLength(SAMPLE_MINUTES);
    expect(shown.at(-1)!.visible).toBe(minutes + 1);
    expect(shown.every((sample, i) => i === 0 || sample.at - shown[i - 1]!.at === MINUTE)).toBe(true);
  }, 60_000);
});
