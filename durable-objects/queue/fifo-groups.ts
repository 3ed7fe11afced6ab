/**
 * FIFO message groups (sqs-spec.md section 5). A group delivers strictly in order, one message
 * at a time from its head: its next deliverable message is its oldest message that is not in
 * flight, provided no older message of the group is in flight. That is, AWS delivers from the
 * group's head (recorded: foo, bar, baz received together, bar extended; when foo's timeout
 * runs out foo is delivered again while bar is still in flight, and baz waits behind bar).
 * Each group has one row whose `ready_at` says when it can deliver next, so a receive finds a
 * deliverable group through an index instead of scanning groups or the backlog.
 *
 * So `ready_at` is the head's own visible_at: a receive takes the due messages from the head
 * on, in order, and stops at the first one that is not due (in flight, or claimed for a move).
 * Reading it is one lookup in the group index, whatever the group's backlog.
 */
import {
  claimForMove,
  isDeadLetter,
  markReceived,
  type MessageRow,
  type MessageStores,
  type PickOptions,
  type PickResult,
} from "./receive.js";
import type { Sql } from "./sql.js";

/** Recomputes one group's row after its messages changed (sent, received, deleted, made visible). */
export function refreshGroup(sql: Sql, groupId: string): void {
  const head = sql.one<{ seq: number; visible_at: number }>(
    "SELECT seq, visible_at FROM messages WHERE group_id = ? ORDER BY seq LIMIT 1",
    groupId,
  );
  if (!head) {
    sql.run("DELETE FROM fifo_groups WHERE group_id = ?", groupId);
    return;
  }
  sql.run(
    `INSERT INTO fifo_groups (group_id, ready_at, head_seq) VALUES (?, ?, ?)
     ON CONFLICT (group_id) DO UPDATE SET ready_at = excluded.ready_at, head_seq = excluded.head_seq`,
    groupId,
    head.visible_at,
    head.seq,
  );
}

/** A new message at the tail of its group only creates the group row when the group was empty. */
export function noteGroupSend(sql: Sql, groupId: string, seq: number, visibleAt: number): void {
  sql.run("INSERT OR IGNORE INTO fifo_groups (group_id, ready_at, head_seq) VALUES (?, ?, ?)", groupId, visibleAt, seq);
}

/**
 * Fills a receive from as few groups as possible: all it can take from the first ready group
 * (in order, stopping at a message not yet due), then the next ready group, and so on.
 * A head that must go to the dead-letter queue is claimed and ends that group's share: the
 * group stays blocked until the move is done, so order is kept.
 */
export function pickFifoMessages(stores: MessageStores, options: PickOptions): PickResult {
  const { sql } = stores;
  const { now, max } = options;
  const expiredBefore = now - options.retentionSeconds * 1000;
  const visibleAt = now + options.visibilityTimeoutSeconds * 1000;
  const result: PickResult = { picked: [], dead: [] };
  const visited = new Set<string>();
  while (result.picked.length < max) {
    const group = sql.one<{ group_id: string }>(
      "SELECT group_id FROM fifo_groups WHERE ready_at <= ? ORDER BY ready_at, head_seq LIMIT 1",
      now,
    );
    if (!group || visited.has(group.group_id)) break;
    visited.add(group.group_id);
    const rows = sql.all<MessageRow>(
      "SELECT * FROM messages WHERE group_id = ? ORDER BY seq LIMIT ?",
      group.group_id,
      max - result.picked.length,
    );
    let progressed = false;
    for (const row of rows) {
      if (row.visible_at > now) break;
      // Expired messages are never delivered; the alarm deletes them and refreshes the group.
      if (row.enqueued_at <= expiredBefore) continue;
      progressed = true;
      if (isDeadLetter(row, options)) {
        result.dead.push(claimForMove(stores, row, now));
        break;
      }
      result.picked.push(markReceived(stores, row, now, visibleAt));
    }
    refreshGroup(sql, group.group_id);
    // A group whose head is expired may still look ready; don't spin on it.
    if (rows.length > 0 && !progressed) break;
  }
  return result;
}

/** Rebuilds every group row (after a purge or a bulk expiry, which are rare). */
export function rebuildGroups(sql: Sql): void {
  sql.run("DELETE FROM fifo_groups");
  const groups = sql.all<{ group_id: string }>(
    "SELECT DISTINCT group_id FROM messages WHERE group_id IS NOT NULL",
  );
  for (const { group_id } of groups) refreshGroup(sql, group_id);
}

export function hasReadyGroup(sql: Sql, now: number): boolean {
  return sql.one("SELECT 1 AS x FROM fifo_groups WHERE ready_at <= ? LIMIT 1", now) !== undefined;
}

export function nextGroupReadyAt(sql: Sql, now: number): number | undefined {
  return sql.one<{ t: number | null }>("SELECT MIN(ready_at) AS t FROM fifo_groups WHERE ready_at > ?", now)?.t ?? undefined;
}
