/**
 * The account's index of topics and subscriptions, kept in its registry object: what ListTopics
 * and ListSubscriptions page over. The topic objects are the source of truth; the Worker records
 * here after a topic object accepted a change, so a retried request repairs a half-done one.
 */
import type { Sql } from "../sql.js";

export interface IndexedSubscription {
  arn: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  owner: string;
  confirmed: boolean;
}

export interface IndexPage<T> {
  items: T[];
  /** Key to continue after, when more remain. */
  after?: string;
}

export function createTopicIndex(sql: Sql): void {
  sql.run("CREATE TABLE IF NOT EXISTS topics (name TEXT PRIMARY KEY, arn TEXT NOT NULL)");
  sql.run(
    `CREATE TABLE IF NOT EXISTS topic_subscriptions (
      arn TEXT PRIMARY KEY, topic_name TEXT NOT NULL, topic_arn TEXT NOT NULL,
      protocol TEXT NOT NULL, endpoint TEXT NOT NULL, owner TEXT NOT NULL, confirmed INTEGER NOT NULL
    )`,
  );
  sql.run("CREATE INDEX IF NOT EXISTS topic_subscriptions_by_topic ON topic_subscriptions (topic_name)");
}

export function registerTopic(sql: Sql, name: string, arn: string): void {
  sql.run("INSERT OR IGNORE INTO topics (name, arn) VALUES (?, ?)", name, arn);
}

/** The topic and every subscription it had. */
export function unregisterTopic(sql: Sql, name: string): void {
  sql.run("DELETE FROM topics WHERE name = ?", name);
  sql.run("DELETE FROM topic_subscriptions WHERE topic_name = ?", name);
}

export function listTopics(sql: Sql, limit: number, after?: string): IndexPage<string> {
  const rows = sql.all<{ name: string; arn: string }>("SELECT name, arn FROM topics WHERE name > ? ORDER BY name LIMIT ?", after ?? "", limit + 1);
  const page = rows.slice(0, limit);
  return rows.length > limit ? { items: page.map((r) => r.arn), after: page[page.length - 1]!.name } : { items: page.map((r) => r.arn) };
}

export function putSubscription(sql: Sql, topicName: string, s: IndexedSubscription): void {
  sql.run(
    "INSERT OR REPLACE INTO topic_subscriptions (arn, topic_name, topic_arn, protocol, endpoint, owner, confirmed) VALUES (?, ?, ?, ?, ?, ?, ?)",
    s.arn,
    topicName,
    s.topicArn,
    s.protocol,
    s.endpoint,
    s.owner,
    s.confirmed ? 1 : 0,
  );
}

export function removeSubscription(sql: Sql, arn: string): void {
  sql.run("DELETE FROM topic_subscriptions WHERE arn = ?", arn);
}

export function listSubscriptions(sql: Sql, limit: number, after?: string): IndexPage<IndexedSubscription> {
  const rows = sql.all<{ arn: string; topic_arn: string; protocol: string; endpoint: string; owner: string; confirmed: number }>(
    "SELECT arn, topic_arn, protocol, endpoint, owner, confirmed FROM topic_subscriptions WHERE arn > ? ORDER BY arn LIMIT ?",
    after ?? "",
    limit + 1,
  );
  const items = rows.slice(0, limit).map((r) => ({
    arn: r.arn,
    topicArn: r.topic_arn,
    protocol: r.protocol,
    endpoint: r.endpoint,
    owner: r.owner,
    confirmed: r.confirmed === 1,
  }));
  return rows.length > limit ? { items, after: items[items.length - 1]!.arn } : { items };
}
