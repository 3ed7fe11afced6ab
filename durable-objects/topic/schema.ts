/**
 * The topic object's tables. `topic`: its one configuration row (JSON). `subscriptions`: one row
 * each, with the outbox sequence it was made at (it gets only later publishes). `outbox`: a row
 * per publish until every subscription it goes to has it. `dedup`: FIFO deduplication ids for
 * five minutes.
 */
import type { Sql } from "../sql.js";

export function createTopicSchema(sql: Sql): void {
  sql.run("CREATE TABLE IF NOT EXISTS topic (id INTEGER PRIMARY KEY CHECK (id = 1), config TEXT NOT NULL)");
  sql.run(
    `CREATE TABLE IF NOT EXISTS subscriptions (
      id TEXT PRIMARY KEY,
      protocol TEXT NOT NULL,
      endpoint TEXT NOT NULL,
      owner TEXT NOT NULL,
      confirmed INTEGER NOT NULL,
      token TEXT,
      attributes TEXT NOT NULL,
      since_seq INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      failures INTEGER NOT NULL DEFAULT 0,
      last_failure TEXT
    )`,
  );
  sql.run("CREATE INDEX IF NOT EXISTS subscriptions_by_endpoint ON subscriptions (protocol, endpoint)");
  sql.run(
    `CREATE TABLE IF NOT EXISTS outbox (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      message_id TEXT NOT NULL,
      entry TEXT NOT NULL,
      published_at INTEGER NOT NULL,
      remaining TEXT,
      due_at INTEGER NOT NULL
    )`,
  );
  sql.run(
    `CREATE TABLE IF NOT EXISTS dedup (
      scope TEXT NOT NULL,
      dedup_id TEXT NOT NULL,
      message_id TEXT NOT NULL,
      seq INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      PRIMARY KEY (scope, dedup_id)
    )`,
  );
}

/** The last outbox sequence handed out (0 before the first publish); never reused, even once its row is gone. */
export function lastSeq(sql: Sql): number {
  return sql.one<{ seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'")?.seq ?? 0;
}
