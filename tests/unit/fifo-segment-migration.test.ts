/**
 * A FIFO queue stored by schema version 2 (one row per message, the fifo_groups table and its
 * indexes) migrates on its next wake into segments (version 3): group order, a message still in
 * flight, receive counts, SequenceNumbers and the deduplication window all survive.
 */
import { expect, it } from "vitest";
import { createFifoQueue } from "./fifo-clocked-queue.js";
import { restoreVersion3, rowsInMessagesTable } from "./legacy-schema.js";

const HOUR_MS = 3_600_000;

/** Puts the object's storage back to how version 2 left a FIFO queue. */
const VERSION_2 = [
  "DROP TABLE segments",
  "DROP TABLE large_bodies",
  "DROP INDEX dedup_moves_by_expiry",
  "CREATE INDEX dedup_by_expiry ON dedup (expires_at)",
  "CREATE INDEX messages_by_group ON messages (group_id, seq) WHERE group_id IS NOT NULL",
  "CREATE TABLE fifo_groups (group_id TEXT PRIMARY KEY, ready_at INTEGER NOT NULL, head_seq INTEGER NOT NULL)",
  "CREATE INDEX fifo_groups_by_readiness ON fifo_groups (ready_at, head_seq)",
  "UPDATE schema_version SET version = 2",
];

const sequenceNumber = (seq: number) => `1${String(seq).padStart(19, "0")}`;

it("migrates a version 2 FIFO queue into segments, keeping order, flight, counts and deduplication", async () => {
  const queue = await createFifoQueue("fifo-migration");
  const now = queue.now;
  await queue.inside((_, state) => {
    const sql = state.storage.sql;
    restoreVersion3(sql);
    for (const statement of VERSION_2) sql.exec(statement);
    // a1 is in flight (received once); b1, a2, b2 wait behind or beside it.
    const rows: [number, string, string, number, number, number][] = [
      [101, "a1", "A", now + HOUR_MS, 1, 1],
      [102, "b1", "B", now, 0, 0],
      [103, "a2", "A", now, 0, 0],
      [104, "b2", "B", now, 0, 0],
    ];
    for (const [seq, body, group, visibleAt, receiveCount, generation] of rows) {
      sql.exec(
        `INSERT INTO messages (seq, message_id, body, md5_body, sender_id, sent_at, enqueued_at, visible_at,
           receive_count, first_receive_at, last_receive_at, receipt_gen, group_id, dedup_id, sequence_number)
         VALUES (?, ?, ?, 'x', 'seed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        seq,
        `id-${body}`,
        body,
        now,
        now,
        visibleAt,
        receiveCount,
        receiveCount > 0 ? now : null,
        receiveCount > 0 ? now : null,
        generation,
        group,
        `dedup-${body}`,
        sequenceNumber(seq),
      );
    }
    sql.exec(
      "INSERT INTO fifo_groups (group_id, ready_at, head_seq) VALUES ('A', ?, 101), ('B', ?, 102)",
      now + HOUR_MS,
      now,
    );
    sql.exec(
      "INSERT INTO dedup (dedup_key, message_id, sequence_number, expires_at) VALUES ('dedup-b1', 'id-b1', ?, ?)",
      sequenceNumber(102),
      now + 60_000,
    );
  });
  await queue.restart();

  const stored = await queue.inside((_, state) => ({
    rows: rowsInMessagesTable(state.storage.sql),
    groupTable: state.storage.sql.exec("SELECT name FROM sqlite_master WHERE name = 'fifo_groups'").toArray().length,
  }));
  expect(stored).toEqual({ rows: 0, groupTable: 0 });
  expect(await queue.storedMessages()).toBe(4);

  // Group A is blocked behind a1, still in flight; group B delivers in order.
  const first = await queue.receive();
  expect(first.map((m) => [m.Body, m.Attributes?.SequenceNumber, m.Attributes?.MessageDeduplicationId])).toEqual([
    ["b1", sequenceNumber(102), "dedup-b1"],
    ["b2", sequenceNumber(104), "dedup-b2"],
  ]);
  // The deduplication record came along: resending b1's id answers with the original.
  const duplicate = await queue.ok<{ MessageId: string }>("SendMessage", {
    MessageBody: "b1 again",
    MessageGroupId: "B",
    MessageDeduplicationId: "dedup-b1",
  });
  expect(duplicate.MessageId).toBe("id-b1");
  await queue.ok("DeleteMessageBatch", { Entries: first.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })) });

  queue.advance(HOUR_MS);
  const second = await queue.receive();
  expect(second.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([
    ["a1", "2"],
    ["a2", "1"],
  ]);
});
