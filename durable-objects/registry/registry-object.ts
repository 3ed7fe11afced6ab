/**
 * QueueRegistry: one per account, the index behind ListQueues and ListDeadLetterSourceQueues
 * (which queues redrive to a dead-letter queue), how many partitions each queue has
 * (durable-objects/partitions.md), and the account's signed-out console sessions. The queue
 * objects are the source of truth for everything but the partition count; CreateQueue records
 * here after the queue objects accepted, so a retried create repairs a half-done one.
 */
import { DurableObject } from "cloudflare:workers";
import { Sql } from "../sql.js";
import * as topicIndex from "./topic-index.js";
import type { IndexedSubscription, IndexPage } from "./topic-index.js";

export interface QueuePage {
  names: string[];
  /** Name to continue after, when more remain. */
  after?: string;
}

export class QueueRegistry extends DurableObject {
  private readonly sql: Sql;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    this.sql = new Sql(ctx.storage.sql);
    this.sql.run("CREATE TABLE IF NOT EXISTS queues (name TEXT PRIMARY KEY, created_at INTEGER NOT NULL)");
    this.sql.run(
      "CREATE TABLE IF NOT EXISTS dead_letter_sources (source TEXT PRIMARY KEY, target_arn TEXT NOT NULL)",
    );
    this.sql.run("CREATE INDEX IF NOT EXISTS dead_letter_sources_by_target ON dead_letter_sources (target_arn, source)");
    this.sql.run("CREATE TABLE IF NOT EXISTS ended_sessions (id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)");
    // Registries made before partitions: every queue they list is one object.
    const columns = this.sql.all<{ name: string }>("SELECT name FROM pragma_table_info('queues')");
    if (!columns.some((c) => c.name === "partitions")) {
      this.sql.run("ALTER TABLE queues ADD COLUMN partitions INTEGER NOT NULL DEFAULT 1");
    }
    topicIndex.createTopicIndex(this.sql);
  }

  // ---- topics (topic-index.ts) ------------------------------------------------------------

  registerTopic(name: string, arn: string): void {
    topicIndex.registerTopic(this.sql, name, arn);
  }

  unregisterTopic(name: string): void {
    topicIndex.unregisterTopic(this.sql, name);
  }

  listTopics(limit: number, after?: string): IndexPage<string> {
    return topicIndex.listTopics(this.sql, limit, after);
  }

  putSubscription(topicName: string, subscription: IndexedSubscription): void {
    topicIndex.putSubscription(this.sql, topicName, subscription);
  }

  removeSubscription(arn: string): void {
    topicIndex.removeSubscription(this.sql, arn);
  }

  listSubscriptions(limit: number, after?: string): IndexPage<IndexedSubscription> {
    return topicIndex.listSubscriptions(this.sql, limit, after);
  }

  /** How many partitions the queue has; 1 for a queue the registry does not know. */
  partitions(name: string): number {
    return this.sql.one<{ partitions: number }>("SELECT partitions FROM queues WHERE name = ?", name)?.partitions ?? 1;
  }

  /**
   * Records the queue's partition count, never lowering it: routing to fewer partitions would
   * strand the messages of the dropped ones. Answers the count now recorded.
   */
  setPartitions(name: string, partitions: number): number {
    this.sql.run("UPDATE queues SET partitions = max(partitions, ?) WHERE name = ?", partitions, name);
    return this.partitions(name);
  }

  /**
   * A console session signed out (console/session.ts): refused from now on, though its cookie
   * stays valid by signature until it expires. Kept until then; expired ones are dropped here.
   */
  endConsoleSession(id: string, expiresAt: number, now = Date.now()): void {
    this.sql.run("DELETE FROM ended_sessions WHERE expires_at <= ?", now);
    this.sql.run("INSERT OR IGNORE INTO ended_sessions (id, expires_at) VALUES (?, ?)", id, expiresAt);
  }

  consoleSessionEnded(id: string): boolean {
    return this.sql.one("SELECT 1 AS ended FROM ended_sessions WHERE id = ?", id) !== undefined;
  }

  /** Records (or with `undefined`, forgets) which dead-letter queue a source queue redrives to. */
  setDeadLetterTarget(source: string, targetArn: string | undefined): void {
    if (targetArn === undefined) this.sql.run("DELETE FROM dead_letter_sources WHERE source = ?", source);
    else
      this.sql.run(
        "INSERT INTO dead_letter_sources (source, target_arn) VALUES (?, ?) ON CONFLICT (source) DO UPDATE SET target_arn = excluded.target_arn",
        source,
        targetArn,
      );
  }

  /** Source queues whose RedrivePolicy targets `targetArn`, in name order, after `after`. */
  listDeadLetterSources(targetArn: string, limit: number, after?: string): QueuePage {
    const rows = this.sql.all<{ source: string }>(
      "SELECT source FROM dead_letter_sources WHERE target_arn = ? AND source > ? ORDER BY source LIMIT ?",
      targetArn,
      after ?? "",
      limit + 1,
    );
    const names = rows.slice(0, limit).map((r) => r.source);
    return rows.length > limit ? { names, after: names[names.length - 1] } : { names };
  }

  register(name: string): void {
    this.sql.run("INSERT OR IGNORE INTO queues (name, created_at) VALUES (?, ?)", name, Date.now());
  }

  unregister(name: string): void {
    this.sql.run("DELETE FROM queues WHERE name = ?", name);
    this.sql.run("DELETE FROM dead_letter_sources WHERE source = ?", name);
  }

  /** Names starting with `prefix` (case-sensitive), in name order, after `after`, at most `limit`. */
  list(prefix: string, limit: number, after?: string): QueuePage {
    // GLOB is case-sensitive, unlike LIKE; escape its wildcards in the prefix.
    const pattern = prefix.replace(/[*?[]/g, (c) => `[${c}]`) + "*";
    const rows = this.sql.all<{ name: string }>(
      "SELECT name FROM queues WHERE name GLOB ? AND name > ? ORDER BY name LIMIT ?",
      pattern,
      after ?? "",
      limit + 1,
    );
    const names = rows.slice(0, limit).map((r) => r.name);
    return rows.length > limit ? { names, after: names[names.length - 1] } : { names };
  }
}
