/** The Approximate* queue attributes. */
import type { MessageStores } from "./receive.js";

export interface MessageCounts {
  visible: number;
  notVisible: number;
  delayed: number;
}

export function countMessages(stores: MessageStores, now: number, retentionSeconds: number): MessageCounts {
  const plain = stores.segments.counts(now, now - retentionSeconds * 1000);
  const row = stores.sql.one<{ visible: number; not_visible: number; delayed: number }>(
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
  return {
    visible: plain.visible + Number(row?.visible ?? 0),
    notVisible: plain.notVisible + Number(row?.not_visible ?? 0),
    delayed: plain.delayed + Number(row?.delayed ?? 0),
  };
}
