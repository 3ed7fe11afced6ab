import { SqsError } from "../../sdk/protocol/index.js";
import type { Sql } from "../sql.js";

/**
 * Versioned schema of a queue object. Each entry migrates from the previous version; the
 * version is kept in a table of its own so a wake after a deploy upgrades in place.
 */
const MIGRATIONS: string[] = [
  `CREATE TABLE queue (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     config TEXT NOT NULL
   );
   CREATE TABLE messages (
     seq INTEGER PRIMARY KEY,
     message_id TEXT NOT NULL,
     body TEXT NOT NULL,
     attributes TEXT,
     system_attributes TEXT,
     md5_body TEXT NOT NULL,
     md5_attributes TEXT,
     md5_system_attributes TEXT,
     sender_id TEXT NOT NULL,
     sent_at INTEGER NOT NULL,
     enqueued_at INTEGER NOT NULL,
     visible_at INTEGER NOT NULL,
     receive_count INTEGER NOT NULL DEFAULT 0,
     first_receive_at INTEGER,
     last_receive_at INTEGER,
     receipt_gen INTEGER NOT NULL DEFAULT 0,
     group_id TEXT,
     dedup_id TEXT,
     sequence_number TEXT,
     dead_letter_source_arn TEXT
   );
   -- Standard queues pick by visibility. FIFO messages (the only ones with a SequenceNumber)
   -- are picked through fifo_groups and the group index, so they stay out of this one.
   CREATE INDEX messages_by_visibility ON messages (visible_at, seq) WHERE sequence_number IS NULL;
   -- Retention walks messages in seq order, where enqueue times only grow, except for dead
   -- letters that keep their original enqueue time: only those pay for an age index.
   CREATE INDEX messages_by_age_dead_letters ON messages (enqueued_at) WHERE dead_letter_source_arn IS NOT NULL;
   CREATE INDEX messages_by_group ON messages (group_id, seq) WHERE group_id IS NOT NULL;
   CREATE TABLE fifo_groups (
     group_id TEXT PRIMARY KEY,
     ready_at INTEGER NOT NULL,
     head_seq INTEGER NOT NULL
   );
   CREATE INDEX fifo_groups_by_readiness ON fifo_groups (ready_at, head_seq);
   CREATE TABLE dedup (
     dedup_key TEXT PRIMARY KEY,
     message_id TEXT NOT NULL,
     sequence_number TEXT,
     expires_at INTEGER NOT NULL
   ) WITHOUT ROWID;
   CREATE INDEX dedup_by_expiry ON dedup (expires_at);
   CREATE TABLE receive_attempts (
     attempt_id TEXT PRIMARY KEY,
     handles TEXT NOT NULL,
     expires_at INTEGER NOT NULL
   );
   CREATE INDEX receive_attempts_by_expiry ON receive_attempts (expires_at);
   CREATE TABLE move_tasks (
     task_id TEXT PRIMARY KEY,
     status TEXT NOT NULL,
     destination_arn TEXT,
     rate INTEGER,
     moved INTEGER NOT NULL DEFAULT 0,
     to_move INTEGER NOT NULL,
     cutoff_seq INTEGER NOT NULL,
     started_at INTEGER NOT NULL,
     failure_reason TEXT
   );`,
  // Fair queues (MessageGroupId on a standard queue): grouped standard messages leave the plain
  // visibility index, so a noisy group's backlog costs the ungrouped pick nothing, and get a
  // per-group one; fair_groups is the rotation of groups a receive serves in turn (fair-groups.ts).
  // sequence_reserve persists a high-water mark of sequence numbers handed out (queue-object.ts).
  // Every statement tolerates a re-run, in case a wake was interrupted halfway through this step.
  `DROP INDEX IF EXISTS messages_by_visibility;
   CREATE INDEX IF NOT EXISTS messages_by_visibility ON messages (visible_at, seq)
     WHERE sequence_number IS NULL AND group_id IS NULL;
   CREATE INDEX IF NOT EXISTS messages_fair_by_visibility ON messages (visible_at, seq)
     WHERE sequence_number IS NULL AND group_id IS NOT NULL;
   CREATE INDEX IF NOT EXISTS messages_fair_by_group ON messages (group_id, visible_at, seq)
     WHERE sequence_number IS NULL AND group_id IS NOT NULL;
   CREATE TABLE IF NOT EXISTS fair_groups (
     group_id TEXT PRIMARY KEY,
     turn INTEGER NOT NULL
   ) WITHOUT ROWID;
   CREATE INDEX IF NOT EXISTS fair_groups_by_turn ON fair_groups (turn);
   INSERT OR IGNORE INTO fair_groups (group_id, turn)
     SELECT group_id, 1 FROM messages WHERE sequence_number IS NULL AND group_id IS NOT NULL GROUP BY group_id;
   INSERT OR IGNORE INTO fair_groups (group_id, turn)
     SELECT '', 0 WHERE EXISTS (SELECT 1 FROM fair_groups);
   CREATE TABLE IF NOT EXISTS sequence_reserve (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     reserved INTEGER NOT NULL
   );
   -- The messages the running move task's current step claimed, as JSON [[seq, receipt_gen], ...],
   -- so a step interrupted between its copy and its delete is finished, not forgotten (move-task.ts).
   CREATE TABLE IF NOT EXISTS move_step (
     task_id TEXT PRIMARY KEY,
     claimed TEXT NOT NULL
   )`,
  // Plain standard and FIFO messages move into segments: runs of up to 64 messages per row,
  // `meta` and `payload` as segment-store.ts reads them (storage.md). Their indexes and the
  // FIFO group table go: segment summaries and groups in memory replace them, and FIFO
  // deduplication records lose their expiry index (dedup.ts sweeps them). Receive state
  // already stored stays stored. Only fair-queue messages stay in `messages`.
  `CREATE TABLE IF NOT EXISTS segments (
     id INTEGER PRIMARY KEY,
     meta TEXT NOT NULL,
     payload TEXT NOT NULL
   );
   -- Bodies and attributes of messages too large to pack (segment-store.ts), as raw text.
   CREATE TABLE IF NOT EXISTS large_bodies (
     seq INTEGER PRIMARY KEY,
     body TEXT NOT NULL,
     attributes TEXT,
     system_attributes TEXT
   );
   INSERT OR IGNORE INTO large_bodies (seq, body, attributes, system_attributes)
     SELECT seq, body, attributes, system_attributes FROM messages
     WHERE (sequence_number IS NOT NULL OR group_id IS NULL)
       AND length(body) + COALESCE(length(attributes), 0) + COALESCE(length(system_attributes), 0) > 65536;
   INSERT OR IGNORE INTO segments (id, meta, payload)
     SELECT MIN(seq), json_group_array(json(meta)), json_group_array(json(payload)) FROM (
       SELECT seq,
         -- About 64 small messages or 256 KB to a segment: a row must stay far below 2 MB.
         (SUM(CASE WHEN big THEN 1 ELSE 1 + size / 4096 END) OVER (ORDER BY seq) - 1) / 64 AS chunk,
         CASE WHEN sequence_number IS NULL THEN meta ELSE json_set(meta, '$.q', group_id) END AS meta,
         json_object('s', seq, 'id', message_id, 'b', CASE WHEN big THEN '' ELSE body END,
           'a', CASE WHEN big THEN NULL ELSE attributes END, 'sa', CASE WHEN big THEN NULL ELSE system_attributes END,
           'mb', md5_body, 'ma', md5_attributes, 'ms', md5_system_attributes, 'snd', sender_id,
           't', sent_at, 'dl', dead_letter_source_arn, 'dd', dedup_id, 'big', CASE WHEN big THEN 1 END) AS payload
       FROM (SELECT *, size > 65536 AS big,
           json_object('s', seq, 'v', visible_at, 'e', enqueued_at, 'rc', receive_count, 'g', receipt_gen,
             'fr', first_receive_at, 'lr', last_receive_at) AS meta
         FROM (
           SELECT *, length(body) + COALESCE(length(attributes), 0) + COALESCE(length(system_attributes), 0) AS size
           FROM messages WHERE sequence_number IS NOT NULL OR group_id IS NULL))
       ORDER BY seq
     ) GROUP BY chunk ORDER BY chunk;
   DELETE FROM messages WHERE sequence_number IS NOT NULL OR group_id IS NULL;
   DROP INDEX IF EXISTS messages_by_visibility;
   DROP INDEX IF EXISTS messages_by_group;
   DROP TABLE IF EXISTS fifo_groups;
   DROP INDEX IF EXISTS dedup_by_expiry;
   CREATE INDEX IF NOT EXISTS dedup_moves_by_expiry ON dedup (expires_at) WHERE dedup_key < ' '`,
  // Fair-queue messages (standard, with a group) join the others in segments, with their stored
  // receive state and their group in meta's `f` (segment-format.ts); the rotation between groups
  // is in memory from now on (fair-groups.ts), so `messages` and `fair_groups` go. Their seqs
  // interleave with the segments' runs, so the segments are rebuilt from both, in seq order (and
  // without their deleted messages); a queue without fair-queue messages keeps its segments as
  // they are. The rebuild goes through segments_v4 so that a re-run starts again from scratch.
  `CREATE TABLE IF NOT EXISTS segments_v4 (
     id INTEGER PRIMARY KEY,
     meta TEXT NOT NULL,
     payload TEXT NOT NULL
   );
   DELETE FROM segments_v4;
   INSERT OR IGNORE INTO large_bodies (seq, body, attributes, system_attributes)
     SELECT seq, body, attributes, system_attributes FROM messages
     WHERE length(body) + COALESCE(length(attributes), 0) + COALESCE(length(system_attributes), 0) > 65536;
   INSERT INTO segments_v4 (id, meta, payload)
     SELECT MIN(seq), json_group_array(json(meta)), json_group_array(json(payload)) FROM (
       SELECT seq, meta, payload,
         (SUM(CASE WHEN big THEN 1 ELSE 1 + size / 4096 END) OVER (ORDER BY seq) - 1) / 64 AS chunk
       FROM (
         SELECT json_extract(m.value, '$.s') AS seq, m.value AS meta, p.value AS payload,
           json_extract(p.value, '$.big') IS NOT NULL AS big, length(p.value) AS size
         FROM segments s, json_each(s.meta) m, json_each(s.payload) p
         WHERE p.key = m.key AND json_extract(m.value, '$.x') IS NULL
         UNION ALL
         SELECT seq,
           json_object('s', seq, 'v', visible_at, 'e', enqueued_at, 'rc', receive_count, 'g', receipt_gen,
             'fr', first_receive_at, 'lr', last_receive_at, 'f', group_id),
           json_object('s', seq, 'id', message_id, 'b', CASE WHEN big THEN '' ELSE body END,
             'a', CASE WHEN big THEN NULL ELSE attributes END, 'sa', CASE WHEN big THEN NULL ELSE system_attributes END,
             'mb', md5_body, 'ma', md5_attributes, 'ms', md5_system_attributes, 'snd', sender_id,
             't', sent_at, 'dl', dead_letter_source_arn, 'big', CASE WHEN big THEN 1 END),
           big, size
         FROM (SELECT *, size > 65536 AS big FROM (
           SELECT *, length(body) + COALESCE(length(attributes), 0) + COALESCE(length(system_attributes), 0) AS size
           FROM messages))
       )
       WHERE EXISTS (SELECT 1 FROM messages)
       ORDER BY seq
     ) GROUP BY chunk ORDER BY chunk;
   DELETE FROM segments WHERE EXISTS (SELECT 1 FROM segments_v4);
   INSERT INTO segments (id, meta, payload) SELECT id, meta, payload FROM segments_v4;
   DROP TABLE segments_v4;
   DROP TABLE IF EXISTS messages;
   DROP TABLE IF EXISTS fair_groups`,
  // Version 5: the per-minute samples behind the console's charts and the metrics routes
  // (samples.ts), a ring of slots (minute modulo the ring's size), so it never grows. IF NOT
  // EXISTS: a test that winds the version back to seed an older layout runs this again.
  `CREATE TABLE IF NOT EXISTS minute_samples (
     slot INTEGER PRIMARY KEY,
     minute INTEGER NOT NULL,
     sent INTEGER NOT NULL,
     received INTEGER NOT NULL,
     deleted INTEGER NOT NULL,
     visible INTEGER NOT NULL,
     in_flight INTEGER NOT NULL,
     delayed INTEGER NOT NULL
   )`,
];

/**
 * Brings the schema up to `target` (the latest, but for a test that stops on the way to look
 * at an older version's tables). Storage whose schema is newer than this code knows (a rollback
 * across a migration) is refused with ServiceUnavailable, and nothing is written: this code
 * would not understand the newer tables, and writing its own version over them would hide that.
 */
export function ensureSchema(sql: Sql, target = MIGRATIONS.length): void {
  sql.run("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  const version = Number(sql.one<{ version: number }>("SELECT version FROM schema_version")?.version ?? 0);
  if (version > MIGRATIONS.length) throw schemaTooNew(version);
  if (version >= target) return;
  for (let v = version; v < target; v++) {
    for (const statement of MIGRATIONS[v]!.split(";").map((s) => s.trim()).filter(Boolean)) sql.run(statement);
  }
  sql.run("DELETE FROM schema_version");
  sql.run("INSERT INTO schema_version (version) VALUES (?)", target);
}

/** The error every request gets from a queue whose stored schema is newer than this code's. */
function schemaTooNew(stored: number): SqsError {
  return new SqsError(
    "ServiceUnavailable",
    `This queue's storage has schema version ${stored}, newer than the version ${MIGRATIONS.length} this deployment knows ` +
      "(a rollback across a schema migration?). The queue refuses every request until a deployment that knows " +
      `version ${stored} runs again; nothing was changed.`,
  );
}
