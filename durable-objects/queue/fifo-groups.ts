/**
 * FIFO message groups. A group delivers strictly in order, one message
 * at a time from its head: its next deliverable message is its oldest message that is not in
 * flight, provided no older message of the group is in flight. That is, AWS delivers from the
 * group's head (recorded: foo, bar, baz received together, bar extended; when foo's timeout
 * runs out foo is delivered again while bar is still in flight, and baz waits behind bar).
 *
 * So a group is ready when its head is visible: a receive takes the due messages from the head
 * on, in order, and stops at the first one that is not due (in flight, or claimed for a move).
 *
 * The groups live in memory, rebuilt from the segments' `meta` when the object wakes
 * (storage.md): per group its messages' seqs in order, and one heap of groups by (the head's
 * visibility deadline, the head's seq) from which a receive takes the first ready group. That
 * costs no row on any send, receive or delete, and O(log n) in groups and backlog. The segment
 * store tells this index whenever a FIFO message arrives, goes, or changes hands (GroupIndex).
 */
import { lowerBound } from "./fair-groups.js";
import { claimForMove, isDeadLetter, markReceived, type MessageStores } from "./message-state.js";
import type { PickOptions, PickResult } from "./message-types.js";
import type { GroupIndex } from "./segment-memory.js";

/** One group's seqs in order; `head` skips the ones already gone from the front. */
interface Group {
  seqs: number[];
  head: number;
  /** What the heap last heard about this group, so an unchanged head is not pushed twice. */
  pushedSeq: number;
  pushedAt: number;
}

interface Entry {
  readyAt: number;
  seq: number;
  group: string;
}

export class FifoGroups implements GroupIndex {
  private readonly groups = new Map<string, Group>();
  private heap: Entry[] = [];

  /** `visibleAtOf` gives a stored message's visibility deadline (its lease's, else the stored one). */
  constructor(private readonly visibleAtOf: (seq: number) => number | undefined) {}

  get size(): number {
    return this.groups.size;
  }

  /** Whether the group has a message here, in whatever state (group-homes.ts moves only empty groups). */
  has(group: string): boolean {
    return this.groups.has(group);
  }

  added(group: string | undefined, seq: number, visibleAt?: number): void {
    if (group === undefined) return;
    let g = this.groups.get(group);
    if (!g) {
      g = { seqs: [], head: 0, pushedSeq: NaN, pushedAt: NaN };
      this.groups.set(group, g);
    }
    const last = g.seqs.at(-1);
    if (last === undefined || last < seq) g.seqs.push(seq);
    else g.seqs.splice(lowerBound(g.seqs, seq, g.head), 0, seq);
    if (g.seqs[g.head] === seq) this.changed(group, visibleAt);
  }

  removed(group: string | undefined, seq: number): void {
    if (group === undefined) return;
    const g = this.groups.get(group);
    if (!g) return;
    const wasHead = g.seqs[g.head] === seq;
    if (wasHead) g.head += 1;
    else {
      const at = lowerBound(g.seqs, seq, g.head);
      if (g.seqs[at] === seq) g.seqs.splice(at, 1);
    }
    if (g.head === g.seqs.length) {
      this.groups.delete(group);
      return;
    }
    // Drop the consumed front now and then, so a long-lived group's array does not only grow.
    if (g.head > 1024 && g.head * 2 > g.seqs.length) {
      g.seqs = g.seqs.slice(g.head);
      g.head = 0;
    }
    if (wasHead) this.changed(group);
  }

  /**
   * Something about the group's messages changed: tell the heap where its head stands now.
   * `headVisibleAt` is given when the caller knows it (a wake reads it from `meta`), sparing a lookup.
   */
  changed(group: string | undefined, headVisibleAt?: number): void {
    if (group === undefined) return;
    const g = this.groups.get(group);
    if (!g) return;
    const seq = g.seqs[g.head]!;
    const readyAt = headVisibleAt ?? this.visibleAtOf(seq);
    if (readyAt === undefined || (seq === g.pushedSeq && readyAt === g.pushedAt)) return;
    g.pushedSeq = seq;
    g.pushedAt = readyAt;
    push(this.heap, { readyAt, seq, group });
    if (this.heap.length > 2 * this.groups.size + 64) this.rebuildHeap();
  }

  cleared(): void {
    this.groups.clear();
    this.heap = [];
  }

  /** The group whose head has been visible longest (then the lowest head seq), if one is ready at `now`. */
  firstReady(now: number): string | undefined {
    for (;;) {
      const top = this.heap[0];
      if (!top || top.readyAt > now) return undefined;
      if (this.current(top)) return top.group;
      pop(this.heap);
    }
  }

  /** The earliest time a group that is not ready at `now` becomes ready, if any. */
  nextReadyAt(now: number): number | undefined {
    let next = Infinity;
    for (const entry of this.heap) if (entry.readyAt > now && entry.readyAt < next && this.current(entry)) next = entry.readyAt;
    return Number.isFinite(next) ? next : undefined;
  }

  /** The group's seqs from its head on, at most `limit`. */
  fromHead(group: string, limit: number): number[] {
    const g = this.groups.get(group);
    return g ? g.seqs.slice(g.head, g.head + limit) : [];
  }

  /** An entry still describes its group's head (else it is a leftover, skipped lazily). */
  private current(entry: Entry): boolean {
    const g = this.groups.get(entry.group);
    return g !== undefined && g.pushedSeq === entry.seq && g.pushedAt === entry.readyAt;
  }

  private rebuildHeap(): void {
    this.heap = [];
    for (const [group, g] of this.groups) push(this.heap, { readyAt: g.pushedAt, seq: g.pushedSeq, group });
  }
}

/**
 * Fills a receive from as few groups as possible: all it can take from the first ready group
 * (in order, stopping at a message not yet due), then the next ready group, and so on.
 * A head that must go to the dead-letter queue is claimed and ends that group's share: the
 * group stays blocked until the move is done, so order is kept.
 */
export function pickFifoMessages(stores: MessageStores, fifo: FifoGroups, options: PickOptions): PickResult {
  const { now, max } = options;
  const expiredBefore = now - options.retentionSeconds * 1000;
  const visibleAt = now + options.visibilityTimeoutSeconds * 1000;
  const result: PickResult = { picked: [], dead: [] };
  const visited = new Set<string>();
  while (result.picked.length < max) {
    const group = fifo.firstReady(now);
    if (group === undefined || visited.has(group)) break;
    visited.add(group);
    let progressed = false;
    for (const seq of fifo.fromHead(group, max - result.picked.length)) {
      const row = stores.segments.row(seq);
      if (!row || row.visible_at > now) break;
      // Expired messages are never delivered; the alarm deletes them.
      if (row.enqueued_at <= expiredBefore) continue;
      progressed = true;
      if (isDeadLetter(row, options)) {
        result.dead.push(claimForMove(stores, row, now));
        break;
      }
      result.picked.push(markReceived(stores, row, now, visibleAt));
    }
    // A group whose head is expired may still look ready; don't spin on it.
    if (!progressed) break;
  }
  return result;
}

const before = (a: Entry, b: Entry) => a.readyAt < b.readyAt || (a.readyAt === b.readyAt && a.seq < b.seq);

function push(heap: Entry[], entry: Entry): void {
  heap.push(entry);
  for (let i = heap.length - 1; i > 0; ) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i]!, heap[parent]!)) break;
    [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
    i = parent;
  }
}

function pop(heap: Entry[]): void {
  const last = heap.pop()!;
  if (heap.length === 0) return;
  heap[0] = last;
  for (let i = 0; ; ) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
    if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
    if (m === i) return;
    [heap[i], heap[m]] = [heap[m]!, heap[i]!];
    i = m;
  }
}
