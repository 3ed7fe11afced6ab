/**
 * QueueRegistry: one per account, the index behind ListQueues (and later dead-letter source
 * lookups). The queue objects are the source of truth; CreateQueue records here after the
 * queue object accepted, so a retried create repairs a half-done one.
 */
import { DurableObject } from "cloudflare:workers";
import { Sql } from "../queue/sql.js";

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
  }

  register(name: string): void {
    this.sql.run("INSERT OR IGNORE INTO queues (name, created_at) VALUES (?, ?)", name, Date.now());
  }

  unregister(name: string): void {
    this.sql.run("DELETE FROM queues WHERE name = ?", name);
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
