/**
 * Where a FIFO group's messages go once a high-throughput FIFO queue has gained partitions
 * (durable-objects/partitions.md, "Raising N of a high-throughput FIFO queue"). A group must never
 * have messages in two partitions at once, or its order would break. Its home is its hash under
 * the queue's count now; but until it is empty it stays in the partition an earlier count put it
 * in, and only an empty group moves. Every partition applies one rule to a message of group g:
 *
 * - g has a message here, or the message is a retry this partition recognises: it is handled here;
 * - else, this partition is not g's home: the message goes on to the home;
 * - else (home, g not here): each partition an earlier count put g in is asked, newest count
 *   first, to take the message only if g has a message there (or it recognises the retry); if
 *   none does, g is stored here. An asked partition that does not have g hands over g's
 *   deduplication records and its sequence high-water mark, so g's deduplication stays exact and
 *   its SequenceNumbers keep increasing where it moves.
 *
 * A partition that answered "not here" for g never gets g again (it only stores g when g is
 * there, or when it is g's home), so a home that heard "not here" from every earlier place can
 * store g. The presence check and the store run in one synchronous section: nothing interleaves.
 */
import { dedupKey } from "./dedup.js";
import type { QueueContext } from "./context.js";
import { FifoGroups } from "./fifo-groups.js";
import { groupPartition } from "./partition-routing.js";
import type { Sql } from "../sql.js";
import type { DedupRow, GroupRouting, Handover, IfPresentAnswer } from "./types.js";

/** How one kind of item (sent messages, letters from another queue) is placed. */
export interface Placement<T, R> {
  groupOf(item: T): string;
  /** A retry this partition recognises: answered here, whatever its group. */
  knownHere(item: T): boolean;
  /** Stores (or answers) items here, synchronously: run in the section that checked presence. */
  storeHere(items: T[]): R[];
  /** Hands items to partition k under the same rule. */
  forward(k: number, items: T[]): Promise<R[]>;
  /** Asks partition k to take items only if their group is there. */
  askIfPresent(k: number, items: T[]): Promise<IfPresentAnswer<R>>;
}

/** Whether the group has a message in this partition. */
export function groupHere(ctx: QueueContext, group: string): boolean {
  return ctx.picker.index instanceof FifoGroups && ctx.picker.index.has(group);
}

/** Places items by their groups' homes (the rule above); answers in the items' order. */
export async function placeByGroup<T, R>(ctx: QueueContext, routing: GroupRouting, items: T[], p: Placement<T, R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  const here: number[] = [];
  const forwards = new Map<number, number[]>();
  const asks: number[] = [];
  items.forEach((item, i) => {
    if (groupHere(ctx, p.groupOf(item)) || p.knownHere(item)) return void here.push(i);
    const home = groupPartition(p.groupOf(item), routing.partitions);
    if (home === ctx.partition) asks.push(i);
    else addTo(forwards, home, i);
  });
  // Stored before anything is awaited: the groups found here cannot leave meanwhile.
  fill(results, here, p.storeHere(here.map((i) => items[i]!)));
  await Promise.all([
    ...[...forwards].map(async ([k, indices]) => fill(results, indices, await p.forward(k, indices.map((i) => items[i]!)))),
    settleAtHome(ctx, routing, items, asks, results, p),
  ]);
  return results;
}

/** Items whose home is here and whose group is not: asked of the earlier places, then stored here. */
async function settleAtHome<T, R>(
  ctx: QueueContext,
  routing: GroupRouting,
  items: T[],
  asks: number[],
  results: R[],
  p: Placement<T, R>,
): Promise<void> {
  let pending = asks;
  for (const count of routing.earlier) {
    const byPlace = new Map<number, number[]>();
    for (const i of pending) {
      const place = groupPartition(p.groupOf(items[i]!), count);
      if (place !== ctx.partition) addTo(byPlace, place, i);
    }
    const unanswered = new Set(pending);
    await Promise.all(
      [...byPlace].map(async ([k, indices]) => {
        const answer = await p.askIfPresent(k, indices.map((i) => items[i]!));
        takeOver(ctx, answer.handover);
        answer.results.forEach((result, j) => {
          if (result === null) return;
          results[indices[j]!] = result;
          unanswered.delete(indices[j]!);
        });
      }),
    );
    pending = pending.filter((i) => unanswered.has(i));
  }
  // Every earlier place said "not here" and will not take these groups again: they live here now.
  fill(results, pending, p.storeHere(pending.map((i) => items[i]!)));
}

/**
 * At an earlier place: takes the items whose group is here (or that it recognises), and answers
 * null for the rest with the handover of their groups.
 */
export function takeIfPresent<T, R>(ctx: QueueContext, items: T[], p: Pick<Placement<T, R>, "groupOf" | "knownHere" | "storeHere">): IfPresentAnswer<R> {
  const here: number[] = [];
  const absent = new Set<string>();
  items.forEach((item, i) => {
    if (groupHere(ctx, p.groupOf(item)) || p.knownHere(item)) here.push(i);
    else absent.add(p.groupOf(item));
  });
  const results: (R | null)[] = items.map(() => null);
  fill(results, here, p.storeHere(here.map((i) => items[i]!)));
  return { results, handover: { dedup: groupDedup(ctx.sql, absent), floor: ctx.sequence.issued } };
}

/** The per-group deduplication records of these groups (keys `<group>\0<id>`, dedup.ts). */
function groupDedup(sql: Sql, groups: Set<string>): DedupRow[] {
  const rows: DedupRow[] = [];
  for (const group of groups) {
    const from = dedupKey("messageGroup", group, "");
    const to = `${group}\u0001`;
    rows.push(...sql.all<DedupRow>("SELECT dedup_key, message_id, sequence_number, expires_at FROM dedup WHERE dedup_key >= ? AND dedup_key < ?", from, to));
  }
  return rows;
}

/** Takes over what an earlier place handed over: its deduplication records and its numbers' floor. */
function takeOver(ctx: QueueContext, handover: Handover): void {
  ctx.sequence.atLeast(handover.floor);
  for (const row of handover.dedup) {
    ctx.sql.run(
      `INSERT INTO dedup (dedup_key, message_id, sequence_number, expires_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (dedup_key) DO UPDATE SET message_id = excluded.message_id,
         sequence_number = excluded.sequence_number, expires_at = max(dedup.expires_at, excluded.expires_at)`,
      row.dedup_key,
      row.message_id,
      row.sequence_number,
      row.expires_at,
    );
  }
}

function addTo(map: Map<number, number[]>, k: number, i: number): void {
  const list = map.get(k);
  if (list) list.push(i);
  else map.set(k, [i]);
}

function fill<R>(results: (R | null)[], indices: number[], values: R[]): void {
  indices.forEach((index, j) => (results[index] = values[j]!));
}
