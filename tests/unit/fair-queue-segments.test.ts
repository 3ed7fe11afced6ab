/**
 * Fair-queue messages (standard queue, with a MessageGroupId) live in segments like every other
 * message (durable-objects/queue/storage.md): a queue stored by schema version 3 (one row each in
 * `messages`, the rotation in `fair_groups`) migrates on its next wake with its receive state,
 * counts and groups; afterwards a grouped message costs the rows a plain one costs, and the
 * rotation between groups, in memory, is rebuilt by a restart.
 */
import { describe, expect, it } from "vitest";
import type { InstrumentedQueueObject as QueueObject } from "../instrumented/queue-object.js";
import { restoreVersion3 } from "./legacy-schema.js";
import { ClockedQueue } from "./queue-clock.js";

const HOUR_MS = 3_600_000;
const rowsWritten = (queue: ClockedQueue) => queue.inside((instance: QueueObject) => instance.sqlStats().rowsWritten);
const tables = (queue: ClockedQueue) =>
  queue.inside((_, state) =>
    state.storage.sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('messages', 'fair_groups')")
      .toArray()
      .map((r) => r.name),
  );

describe("fair-queue messages in segments", () => {
  it("migrates a version 3 queue's fair-queue messages into segments with their state, counts and groups", async () => {
    const queue = await ClockedQueue.create("fair-v3");
    // Two plain messages, already in segments under version 3; the grouped ones get seqs between them.
    await queue.send("p1");
    // Seqs count microseconds: a millisecond leaves room for the grouped messages between them.
    queue.advance(1);
    await queue.send("p2");
    const now = queue.now;
    const big = "x".repeat(70_000);
    await queue.inside((_, state) => {
      const sql = state.storage.sql;
      const seqs = sql
        .exec<{ s: number }>("SELECT json_extract(m.value, '$.s') AS s FROM segments, json_each(segments.meta) m ORDER BY s")
        .toArray()
        .map((r) => Number(r.s));
      expect(seqs).toHaveLength(2);
      restoreVersion3(sql);
      // a1 is in flight (received once, hidden for an hour); b1 and a large b2 wait.
      const rows: [number, string, string, number, number, number][] = [
        [seqs[0]! + 1, "a1", "tenant-a", now + HOUR_MS, 1, 1],
        [seqs[0]! + 2, "b1", "tenant-b", now, 0, 0],
        [seqs[1]! + 1, big, "tenant-b", now, 0, 0],
      ];
      for (const [seq, body, group, visibleAt, receiveCount, generation] of rows) {
        sql.exec(
          `INSERT INTO messages (seq, message_id, body, md5_body, sender_id, sent_at, enqueued_at, visible_at,
             receive_count, first_receive_at, last_receive_at, receipt_gen, group_id)
           VALUES (?, ?, ?, 'x', 'seed', ?, ?, ?, ?, ?, ?, ?, ?)`,
          seq,
          `id-${body.slice(0, 2)}`,
          body,
          now,
          now,
          visibleAt,
          receiveCount,
          receiveCount > 0 ? now : null,
          receiveCount > 0 ? now : null,
          generation,
          group,
        );
      }
      sql.exec("INSERT INTO fair_groups (group_id, turn) VALUES ('', 0), ('tenant-a', 1), ('tenant-b', 2)");
    });
    await queue.restart();

    expect(await tables(queue)).toEqual([]);
    expect(await queue.storedMessages()).toBe(5);
    expect(await queue.counts()).toEqual({ visible: 4, notVisible: 1, delayed: 0 });
    const first = await queue.receive({ VisibilityTimeout: 600 });
    expect(first.map((m) => (m.Body.length > 100 ? "big" : m.Body)).sort()).toEqual(["b1", "big", "p1", "p2"]);
    const b1 = first.find((m) => m.Body === "b1")!;
    expect(b1.Attributes?.MessageGroupId).toBe("tenant-b");
    expect(b1.Attributes?.SequenceNumber).toBeUndefined();
    expect(first.find((m) => m.Body.length > 100)?.Body).toBe(big);
    await queue.ok("DeleteMessageBatch", { Entries: first.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })) });

    queue.advance(HOUR_MS);
    const second = await queue.receive();
    expect(second.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount, m.Attributes?.MessageGroupId])).toEqual([
      ["a1", "2", "tenant-a"],
    ]);
    await queue.ok("DeleteMessage", { ReceiptHandle: second[0]!.ReceiptHandle });
    expect(await queue.storedMessages()).toBe(0);
  });

  it("costs what a plain message costs: a row per batch sent, none per receive, a row per batch deleted", async () => {
    const queue = await ClockedQueue.create("fair-rows");
    // Leases stay in memory for this test's length: its row counts leave out their checkpoint.
    await queue.inside((instance: QueueObject) => void (instance.leaseCheckpointMs = 3_600_000));
    // The first send also reserves sequence numbers and sets the retention alarm.
    await queue.send("first", { MessageGroupId: "g0" });
    const before = await rowsWritten(queue);
    await queue.ok("SendMessageBatch", {
      Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `body ${i}`, MessageGroupId: `g${i % 3}` })),
    });
    expect(await rowsWritten(queue)).toBe(before + 1);
    const received = [...(await queue.receive()), ...(await queue.receive())];
    expect(received).toHaveLength(11);
    expect(await rowsWritten(queue)).toBe(before + 1);
    await queue.ok("DeleteMessageBatch", { Entries: received.slice(0, 10).map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })) });
    expect(await rowsWritten(queue)).toBe(before + 2);
  });

  it("rebuilds the rotation on a restart: a noisy group's backlog still does not hold back the quiet groups", async () => {
    const queue = await ClockedQueue.create("fair-restart");
    for (let i = 0; i < 50; i += 10) {
      await queue.ok("SendMessageBatch", {
        Entries: Array.from({ length: 10 }, (_, j) => ({ Id: `m${j}`, MessageBody: `noisy-${i + j}`, MessageGroupId: "noisy" })),
      });
    }
    for (const group of ["quiet-1", "quiet-2"]) await queue.send(`${group}-0`, { MessageGroupId: group });
    await queue.restart();
    const first = await queue.receive();
    expect(first).toHaveLength(10);
    expect(first.map((m) => m.Body).filter((b) => b.startsWith("quiet")).sort()).toEqual(["quiet-1-0", "quiet-2-0"]);
  });
});
