/** The Approximate* queue attributes. */
import type { Sql } from "./sql.js";

export interface MessageCounts {
  visible: number;
  notVisible: number;
  delayed: number;
}

export function countMessages(sql: Sql, now: number, retentionSeconds: number): MessageCounts {
  const row = sql.one<{ visible: number; not_visible: number; delayed: number }>(
    `SELECT
       COALESCE(SUM(visible_at <= ?), 0) AS visible,
       COALESCE(SUM(visible_at > ? AND receive_count > 0), 0) AS not_visible,
       COALESCE(SUM(visible_at > ? AND receive_count = 0), 0) AS delayed
     FROM messages WHERE enqueued_at > ?`,
    now,
    now,
    now,
    now - retentionSeconds * 1000,
  );
  return { visible: Number(row?.visible ?? 0), notVisible: Number(row?.not_visible ?? 0), delayed: Number(row?.delayed ?? 0) };
}
