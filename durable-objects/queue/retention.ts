/** MessageRetentionPeriod: expired messages are deleted by the alarm and never delivered. */
import type { Sql } from "./sql.js";

export function deleteExpired(sql: Sql, now: number, retentionSeconds: number): number {
  return sql.run("DELETE FROM messages WHERE enqueued_at <= ?", now - retentionSeconds * 1000);
}

/** Epoch ms when the oldest message expires, if there is one. */
export function nextExpiry(sql: Sql, retentionSeconds: number): number | undefined {
  const row = sql.one<{ t: number | null }>("SELECT MIN(enqueued_at) AS t FROM messages");
  return row?.t == null ? undefined : row.t + retentionSeconds * 1000;
}
