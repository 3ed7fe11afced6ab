/**
 * A queue stored before fair queues existed (schema version 1) migrates on its next wake:
 * its grouped standard messages join the fair rotation instead of being stranded outside the
 * index the plain receive reads; its plain messages then move into segments (version 3).
 */
import { expect, it } from "vitest";
import { ensureSchema } from "../../durable-objects/queue/schema.js";
import { Sql } from "../../durable-objects/sql.js";
import { restoreVersion3 } from "./legacy-schema.js";
import { ClockedQueue } from "./queue-clock.js";

/** Puts the object's storage back to how version 1 left it: its index, no fair tables. */
const VERSION_1 = [
  "DROP INDEX messages_fair_by_visibility",
  "DROP INDEX messages_fair_by_group",
  "DROP TABLE fair_groups",
  "DROP TABLE sequence_reserve",
  "DROP INDEX IF EXISTS messages_by_visibility",
  "DROP TABLE segments",
  "CREATE INDEX messages_by_visibility ON messages (visible_at, seq) WHERE sequence_number IS NULL",
  "UPDATE schema_version SET version = 1",
];

it("migrates a version 1 queue with grouped and ungrouped standard messages, losing none", async () => {
  const queue = await ClockedQueue.create("fair-migration");
  await queue.inside((_, state) => {
    restoreVersion3(state.storage.sql);
    for (const statement of VERSION_1) state.storage.sql.exec(statement);
    // What version 1 stored for a send with and without a MessageGroupId.
    state.storage.sql.exec(
      `INSERT INTO messages (seq, message_id, body, md5_body, sender_id, sent_at, enqueued_at, visible_at, group_id)
       VALUES (1, 'm1', 'grouped', 'x', 'seed', ?1, ?1, ?1, 'tenant'), (2, 'm2', 'plain', 'x', 'seed', ?1, ?1, ?1, NULL)`,
      queue.now,
    );
    // Up to version 3, the last to keep the fair rotation in a table: there it is checked.
    ensureSchema(new Sql(state.storage.sql), 3);
  });
  const groups = await queue.inside((_, state) =>
    state.storage.sql.exec<{ group_id: string }>("SELECT group_id FROM fair_groups ORDER BY group_id").toArray().map((r) => r.group_id),
  );
  expect(groups).toEqual(["", "tenant"]);
  // The queue object migrates the rest of the way (version 4: every message in segments) and
  // reads its messages when it wakes.
  await queue.restart();
  await queue.send("sent after the migration", { MessageGroupId: "tenant" });
  const bodies = (await queue.receive()).map((m) => m.Body).sort();
  expect(bodies).toEqual(["grouped", "plain", "sent after the migration"]);
});
