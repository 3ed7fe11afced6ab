/**
 * Storage as older schema versions left it, for the migration tests: schema version 4 moved the
 * last messages out of the one-row-per-message `messages` table and dropped it with the fair
 * rotation table, so a test that seeds an older queue first puts back what version 3 had.
 */

/** What version 3 left beside the segments: the `messages` table (fair-queue messages) and `fair_groups`. */
const VERSION_3_TABLES = [
  `CREATE TABLE IF NOT EXISTS messages (
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
   )`,
  "CREATE INDEX IF NOT EXISTS messages_by_age_dead_letters ON messages (enqueued_at) WHERE dead_letter_source_arn IS NOT NULL",
  `CREATE INDEX IF NOT EXISTS messages_fair_by_visibility ON messages (visible_at, seq)
     WHERE sequence_number IS NULL AND group_id IS NOT NULL`,
  `CREATE INDEX IF NOT EXISTS messages_fair_by_group ON messages (group_id, visible_at, seq)
     WHERE sequence_number IS NULL AND group_id IS NOT NULL`,
  "CREATE TABLE IF NOT EXISTS fair_groups (group_id TEXT PRIMARY KEY, turn INTEGER NOT NULL) WITHOUT ROWID",
  "CREATE INDEX IF NOT EXISTS fair_groups_by_turn ON fair_groups (turn)",
  "UPDATE schema_version SET version = 3",
];

/** Puts the tables of schema version 3 back (empty), and the version with them. */
export function restoreVersion3(sql: SqlStorage): void {
  for (const statement of VERSION_3_TABLES) sql.exec(statement);
}

/** Messages left in the one-row-per-message table (none once it is gone). */
export function rowsInMessagesTable(sql: SqlStorage): number {
  if (sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'messages'").toArray().length === 0) return 0;
  return Number(sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM messages").one().n);
}
