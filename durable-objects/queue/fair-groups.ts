/**
 * Fair queues (AWS, 2025): a MessageGroupId on a standard queue only schedules, it never orders
 * or blocks (sqs-spec.md section 5). The promise is that one noisy group cannot starve the others:
 * a group with a large backlog must not add dwell time to the messages of quiet groups.
 *
 * Why a rotation: every group with visible messages (and the ungrouped messages, as the member
 * with the empty id, which no MessageGroupId can be) takes turns, least recently served first,
 * one message per turn. A backlog then only delays its own group, and a group that has just been
 * served (so has messages in flight) waits behind the others, which is what SQS does for a group
 * with a disproportionate in-flight count. A receive looks at a bounded number of members, each
 * through an index, so its cost is O(log n) whatever the backlog or the number of groups.
 * Members are rotated lazily: a group whose messages are all gone is dropped when its turn comes.
 * Should the members looked at have too little visible, the receive fills up from the oldest
 * visible messages, as a queue without groups would.
 */
import { MAX_RECEIVE_MESSAGES } from "../../sdk/protocol/index.js";
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

/** The member standing for the messages without a group ('' is not a valid MessageGroupId). */
const UNGROUPED = "";
/** Members one receive looks at: enough to fill it even when half of them have nothing visible. */
const MEMBERS_PER_RECEIVE = 2 * MAX_RECEIVE_MESSAGES;

/** Whether any group is waiting; without one a receive takes the plain path unchanged. */
export function hasFairGroups(sql: Sql): boolean {
  return sql.one("SELECT 1 AS x FROM fair_groups WHERE group_id > ? LIMIT 1", UNGROUPED) !== undefined;
}

/** A grouped message on a standard queue: its group joins the rotation at the back. */
export function noteFairGroup(sql: Sql, groupId: string): void {
  const joined = sql.run(
    `INSERT INTO fair_groups (group_id, turn) SELECT ?, COALESCE(MAX(turn), 0) + 1 FROM fair_groups WHERE true
     ON CONFLICT (group_id) DO NOTHING`,
    groupId,
  );
  // Once there are groups, the ungrouped messages must hold a place in the rotation too.
  if (joined > 0) sql.run("INSERT OR IGNORE INTO fair_groups (group_id, turn) VALUES (?, 0)", UNGROUPED);
}

/** Takes up to `max` visible messages, one per member per round, least recently served member first. */
export function pickFairMessages(stores: MessageStores, options: PickOptions): PickResult {
  const { sql } = stores;
  const { now, max } = options;
  const expiredBefore = now - options.retentionSeconds * 1000;
  const visibleAt = now + options.visibilityTimeoutSeconds * 1000;
  const result: PickResult = { picked: [], dead: [] };
  const taken = () => result.picked.length + result.dead.length;
  const members = sql
    .all<{ group_id: string }>("SELECT group_id FROM fair_groups ORDER BY turn LIMIT ?", MEMBERS_PER_RECEIVE)
    .map((m) => m.group_id);
  // Members looked at, in order, and whether each had anything to give.
  const looked = new Map<string, boolean>();
  let active = members;
  while (active.length > 0 && taken() < max) {
    const stillActive: string[] = [];
    for (const member of active) {
      if (taken() >= max) break;
      const row = oldestVisible(stores, member, now, expiredBefore);
      looked.set(member, looked.get(member) === true || row !== undefined);
      if (!row) continue;
      if (isDeadLetter(row, options)) result.dead.push(claimForMove(stores, row, now));
      else result.picked.push(markReceived(stores, row, now, visibleAt));
      stillActive.push(member);
    }
    active = stillActive;
  }
  // The members at the front may all be busy (every message in flight) while one further back
  // has a visible message: take the oldest visible messages then, so a receive never comes back
  // empty from a queue with visible messages, and the cost stays one range scan per index.
  for (const grouped of [true, false]) {
    if (taken() >= max) break;
    for (const row of oldestVisibleAny(stores, grouped, now, expiredBefore, max - taken())) {
      looked.set(row.group_id ?? UNGROUPED, true);
      if (isDeadLetter(row, options)) result.dead.push(claimForMove(stores, row, now));
      else result.picked.push(markReceived(stores, row, now, visibleAt));
    }
  }
  rotate(sql, looked);
  return result;
}

/** The oldest visible messages with a group (through their visibility index), or plain ones (segments). */
function oldestVisibleAny(
  stores: MessageStores,
  grouped: boolean,
  now: number,
  expiredBefore: number,
  limit: number,
): MessageRow[] {
  if (!grouped) return stores.segments.visible(now, expiredBefore, limit);
  return stores.sql.all<MessageRow>(
    `SELECT * FROM messages WHERE sequence_number IS NULL AND group_id IS NOT NULL
       AND visible_at <= ? AND enqueued_at > ? ORDER BY visible_at, seq LIMIT ?`,
    now,
    expiredBefore,
    limit,
  );
}

function oldestVisible(stores: MessageStores, member: string, now: number, expiredBefore: number): MessageRow | undefined {
  if (member === UNGROUPED) return stores.segments.visible(now, expiredBefore, 1)[0];
  return stores.sql.one<MessageRow>(
    `SELECT * FROM messages WHERE sequence_number IS NULL AND group_id = ? AND visible_at <= ? AND enqueued_at > ?
     ORDER BY visible_at, seq LIMIT 1`,
    member,
    now,
    expiredBefore,
  );
}

/**
 * Sends every member looked at to the back of the rotation, in the order they were looked at
 * (served or not, so members with nothing visible cannot crowd the front), and drops groups
 * that have no message left at all.
 */
function rotate(sql: Sql, looked: Map<string, boolean>): void {
  if (looked.size === 0) return;
  let turn = Number(sql.one<{ t: number | null }>("SELECT MAX(turn) AS t FROM fair_groups")?.t ?? 0);
  for (const [member, served] of looked) {
    if (!served && member !== UNGROUPED && !groupHasMessages(sql, member)) {
      sql.run("DELETE FROM fair_groups WHERE group_id = ?", member);
    } else {
      sql.run("UPDATE fair_groups SET turn = ? WHERE group_id = ?", (turn += 1), member);
    }
  }
}

function groupHasMessages(sql: Sql, groupId: string): boolean {
  return sql.one("SELECT 1 AS x FROM messages WHERE sequence_number IS NULL AND group_id = ? LIMIT 1", groupId) !== undefined;
}
