/**
 * The segment layout of plain standard messages (durable-objects/queue/storage.md), checked in
 * storage itself: what a row holds, what group commit saves, where large messages go, and what a
 * restart (QueueObject.simulateRestart: memory gone, storage kept) does to messages in flight.
 */
import { describe, expect, it } from "vitest";
import type { InstrumentedQueueObject as QueueObject } from "../instrumented/queue-object.js";
import { ClockedQueue } from "./queue-clock.js";

/** The longest a stored row may be: Cloudflare's SQLite holds at most 2 MB per row. */
const MAX_ROW_BYTES = 2_000_000;

const storedRows = (queue: ClockedQueue) =>
  queue.inside((_, state) => {
    const sql = state.storage.sql;
    const segments = sql.exec<{ n: number; longest: number | null }>(
      "SELECT COUNT(*) AS n, MAX(length(CAST(meta AS BLOB)) + length(CAST(payload AS BLOB))) AS longest FROM segments",
    ).one();
    const large = sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM large_bodies").one();
    return { segments: Number(segments.n), longest: Number(segments.longest ?? 0), large: Number(large.n) };
  });

const rowsWritten = (queue: ClockedQueue) => queue.inside((instance: QueueObject) => instance.sqlStats().rowsWritten);

describe("segments", () => {
  it("appends a batch of ten to the newest segment in one row write and removes the row with the last delete", async () => {
    const queue = await ClockedQueue.create("segments-batch");
    // Leases stay in memory for this test's length: its row counts leave out their checkpoint.
    await queue.inside((instance: QueueObject) => void (instance.leaseCheckpointMs = 3_600_000));
    // The queue's first send also reserves a range of sequence numbers (one row, once a minute).
    await queue.send("first");
    const before = await rowsWritten(queue);
    await queue.ok("SendMessageBatch", { Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `body ${i}` })) });
    expect(await rowsWritten(queue)).toBe(before + 1);
    expect((await storedRows(queue)).segments).toBe(1);

    const received = await queue.receive({ MaxNumberOfMessages: 10 });
    received.push(...(await queue.receive({ MaxNumberOfMessages: 10 })));
    expect(received.map((m) => m.Body).sort()).toEqual(["first", ...Array.from({ length: 10 }, (_, i) => `body ${i}`)].sort());
    // A receive writes nothing: the leases live in memory.
    expect(await rowsWritten(queue)).toBe(before + 1);

    await queue.ok("DeleteMessageBatch", { Entries: received.slice(0, 5).map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })) });
    expect(await rowsWritten(queue)).toBe(before + 2);
    await queue.ok("DeleteMessageBatch", { Entries: received.slice(5).map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })) });
    expect(await rowsWritten(queue)).toBe(before + 3);
    expect(await storedRows(queue)).toMatchObject({ segments: 0, large: 0 });
  });

  it("shares one write between sends that arrive together (group commit)", async () => {
    const queue = await ClockedQueue.create("segments-group-commit");
    const before = await rowsWritten(queue);
    await Promise.all(Array.from({ length: 32 }, (_, i) => queue.send(`together ${i}`)));
    const written = (await rowsWritten(queue)) - before;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(16);
    expect(await queue.storedMessages()).toBe(32);
  });

  it("keeps a 1 MiB message that JSON would double out of the packed rows, and delivers it intact after a restart", async () => {
    const queue = await ClockedQueue.create("segments-large");
    // Quotes and backslashes: each one takes two characters in JSON.
    const body = '"\\'.repeat(500 * 1024);
    await queue.send("small before");
    await queue.send(body, {
      MessageAttributes: { quoted: { DataType: "String", StringValue: '"'.repeat(1000) } },
    });
    await queue.send("small after");
    const stored = await storedRows(queue);
    expect(stored.large).toBe(1);
    expect(stored.longest).toBeLessThan(MAX_ROW_BYTES);

    await queue.restart();
    const received = await queue.receive({ MessageAttributeNames: ["All"] });
    const big = received.find((m) => m.Body.length > 1000) as (typeof received)[number] & {
      MessageAttributes?: Record<string, { StringValue: string }>;
    };
    expect(big.Body).toBe(body);
    expect(big.MessageAttributes?.quoted?.StringValue).toBe('"'.repeat(1000));
    expect(received.map((m) => m.Body).filter((b) => b.length < 1000).sort()).toEqual(["small after", "small before"]);

    await queue.ok("DeleteMessageBatch", { Entries: received.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })) });
    expect(await storedRows(queue)).toMatchObject({ segments: 0, large: 0 });
  });
});

describe("a restart with messages in flight", () => {
  it("makes them visible again at once (their leases were in memory) and loses none", async () => {
    const queue = await ClockedQueue.create("segments-restart");
    // A crash before the leases' checkpoint: keep them in memory only for this test.
    await queue.inside((instance: QueueObject) => void (instance.leaseCheckpointMs = 3_600_000));
    for (let i = 0; i < 5; i++) await queue.send(`m${i}`);
    const first = await queue.receive({ VisibilityTimeout: 600 });
    expect(first).toHaveLength(5);
    await queue.ok("DeleteMessage", { ReceiptHandle: first[0]!.ReceiptHandle });
    expect(await queue.counts()).toEqual({ visible: 0, notVisible: 4, delayed: 0 });

    await queue.restart();
    expect(await queue.counts()).toEqual({ visible: 4, notVisible: 0, delayed: 0 });
    const again = await queue.receive({ VisibilityTimeout: 600 });
    expect(again.map((m) => m.Body).sort()).toEqual(first.slice(1).map((m) => m.Body).sort());
    // Without a RedrivePolicy the first receive was a lease only: the count starts again.
    expect(again.map((m) => m.Attributes?.ApproximateReceiveCount)).toEqual(["1", "1", "1", "1"]);
    // A handle from before the restart still deletes its message.
    await queue.ok("DeleteMessage", { ReceiptHandle: first[1]!.ReceiptHandle });
    expect(await queue.counts()).toEqual({ visible: 0, notVisible: 3, delayed: 0 });
  });

  it("stores leases shortly after a receive, so a later restart keeps messages in flight and counted", async () => {
    const queue = await ClockedQueue.create("segments-checkpoint");
    await queue.inside((instance: QueueObject) => void (instance.leaseCheckpointMs = 50));
    for (let i = 0; i < 3; i++) await queue.send(`m${i}`);
    const before = await rowsWritten(queue);
    const received = await queue.receive({ VisibilityTimeout: 600 });
    expect(received).toHaveLength(3);
    expect(await rowsWritten(queue)).toBe(before);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // One row: the three leases share their segment.
    expect(await rowsWritten(queue)).toBe(before + 1);

    await queue.restart();
    expect(await queue.counts()).toEqual({ visible: 0, notVisible: 3, delayed: 0 });
    queue.advance(600_000);
    const again = await queue.receive();
    expect(again.map((m) => m.Attributes?.ApproximateReceiveCount)).toEqual(["2", "2", "2"]);
  });

  it("keeps receive counts on a queue with a RedrivePolicy, so maxReceiveCount moves stay exact", async () => {
    const dlq = await ClockedQueue.create("segments-dlq");
    const queue = await ClockedQueue.create("segments-redrive", {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:000000000000:${dlq.name}`, maxReceiveCount: 2 }),
    });
    await queue.send("counted");
    expect((await queue.receive({ VisibilityTimeout: 600 }))[0]?.Attributes?.ApproximateReceiveCount).toBe("1");
    await queue.restart();
    // The stored receive keeps the message hidden and counted across the restart.
    expect(await queue.counts()).toEqual({ visible: 0, notVisible: 1, delayed: 0 });
    queue.advance(600_000);
    expect((await queue.receive({ VisibilityTimeout: 0 }))[0]?.Attributes?.ApproximateReceiveCount).toBe("2");
    await queue.restart();
    // The third receive would exceed maxReceiveCount 2: the message moves instead.
    expect(await queue.receive()).toEqual([]);
    expect((await dlq.receive()).map((m) => m.Body)).toEqual(["counted"]);
  });
});
