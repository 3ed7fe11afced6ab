/**
 * Fair queues (AWS, 2025): a MessageGroupId on a standard queue only schedules, it never orders
 * or blocks. The promise is that one noisy group cannot starve the others:
 * a group with a large backlog must not add dwell time to the messages of quiet groups.
 *
 * Why a rotation: every group with messages (and the ungrouped messages, as the member with the
 * empty id, which no MessageGroupId can be) takes turns, least recently served first, one
 * message per turn. A backlog then only delays its own group, and a group that has just been
 * served (so has messages in flight) waits behind the others, which is what SQS does for a group
 * with a disproportionate in-flight count. A receive looks at a bounded number of members first;
 * should they have too little visible, it goes on down the rotation, so a receive never comes
 * back empty from a queue with a visible message.
 *
 * Everything here is in memory, rebuilt from the segments' `meta` when the object wakes, as the
 * FIFO groups are (fifo-groups.ts): per member its messages' seqs in order, and the rotation as
 * the members' order in a Map. A send, receive or delete writes no row for it. Ungrouped messages
 * are only tracked while the queue has a group; without one, a receive is a plain one.
 */
import { MAX_RECEIVE_MESSAGES } from "../../sdk/protocol/index.js";
import { takeMessage, type MessageStores } from "./message-state.js";
import type { PickOptions, PickResult } from "./message-types.js";
import type { GroupIndex } from "./segment-memory.js";

/** The member standing for the messages without a group ('' is not a valid MessageGroupId). */
const UNGROUPED = "";
/** Members one receive looks at first: enough to fill it even when half of them have nothing visible. */
const MEMBERS_PER_RECEIVE = 2 * MAX_RECEIVE_MESSAGES;

/** One member's seqs in order; `head` skips the ones already gone from the front. */
interface Member {
  seqs: number[];
  head: number;
}

/** What the fair index asks of the store it indexes. */
export interface FairSource {
  /** The ungrouped messages already stored below `seq`, in order (when the first group arrives). */
  ungroupedSeqs(below: number): Iterable<number>;
}

export class FairGroups implements GroupIndex {
  /** The rotation: front first. Moving a member to the back is a delete and a set. */
  private readonly members = new Map<string, Member>();
  /**
   * Whether the queue has groups, so a receive takes turns between them. A field, not a getter:
   * a receive on a queue without groups asks it and goes on plainly without running code here.
   */
  active = false;

  constructor(private readonly source: FairSource) {}

  added(group: string | undefined, seq: number): void {
    if (group === undefined) {
      if (this.active) insert(this.members.get(UNGROUPED)!, seq);
      return;
    }
    if (!this.active) {
      // The first group: the ungrouped messages take a place at the front, as they had before it.
      const ungrouped: Member = { seqs: [...this.source.ungroupedSeqs(seq)], head: 0 };
      this.members.set(UNGROUPED, ungrouped);
      this.active = true;
    }
    let member = this.members.get(group);
    if (!member) {
      member = { seqs: [], head: 0 };
      this.members.set(group, member);
    }
    insert(member, seq);
  }

  removed(group: string | undefined, seq: number): void {
    const id = group ?? UNGROUPED;
    const member = this.members.get(id);
    if (!member) return;
    remove(member, seq);
    if (id === UNGROUPED || member.head < member.seqs.length) return;
    this.members.delete(id);
    // The last group went: the queue is a plain one again, and the ungrouped need no index.
    if (this.members.size === 1) this.cleared();
  }

  cleared(): void {
    this.members.clear();
    this.active = false;
  }

  /** Groups with messages (the bench and the tests read it). */
  get groups(): number {
    return Math.max(0, this.members.size - 1);
  }

  /**
   * Takes up to `max` visible messages, one per member per round, least recently served member
   * first, then sends every member looked at to the back of the rotation in the order they were
   * looked at (served or not, so members with nothing visible cannot crowd the front).
   */
  pick(stores: MessageStores, options: PickOptions): PickResult {
    const { now, max } = options;
    const expiredBefore = now - options.retentionSeconds * 1000;
    const result: PickResult = { picked: [], dead: [] };
    const taken = () => result.picked.length + result.dead.length;
    const looked: string[] = [];
    // The front members first; should they have too little visible, the next ones in turn.
    const order = this.members.keys();
    for (let members = nextKeys(order); members.length > 0 && taken() < max; members = nextKeys(order)) {
      let active = members;
      let first = true;
      while (active.length > 0 && taken() < max) {
        const stillActive: string[] = [];
        for (const id of active) {
          if (taken() >= max) break;
          if (first) looked.push(id);
          const seq = this.oldestVisible(stores, id, now, expiredBefore);
          if (seq === undefined) continue;
          takeMessage(stores, seq, options, result);
          stillActive.push(id);
        }
        active = stillActive;
        first = false;
      }
    }
    for (const id of looked) {
      const member = this.members.get(id);
      if (!member) continue;
      this.members.delete(id);
      this.members.set(id, member);
    }
    return result;
  }

  /** The member's first deliverable message in seq order (past the ones in flight or delayed). */
  private oldestVisible(stores: MessageStores, id: string, now: number, expiredBefore: number): number | undefined {
    const member = this.members.get(id);
    if (!member) return undefined;
    for (let i = member.head; i < member.seqs.length; i++) {
      const seq = member.seqs[i]!;
      if (stores.segments.isDeliverable(seq, now, expiredBefore)) return seq;
    }
    return undefined;
  }
}

/** The next MEMBERS_PER_RECEIVE members of the rotation (the pick changes no member while it runs). */
function nextKeys(order: Iterator<string>): string[] {
  const out: string[] = [];
  for (let next = order.next(); !next.done; next = order.next()) {
    if (out.push(next.value) >= MEMBERS_PER_RECEIVE) break;
  }
  return out;
}

function insert(member: Member, seq: number): void {
  const last = member.seqs.at(-1);
  if (last === undefined || last < seq) {
    member.seqs.push(seq);
    return;
  }
  const at = lowerBound(member.seqs, seq, member.head);
  if (member.seqs[at] !== seq) member.seqs.splice(at, 0, seq);
}

function remove(member: Member, seq: number): void {
  if (member.seqs[member.head] === seq) member.head += 1;
  else {
    const at = lowerBound(member.seqs, seq, member.head);
    if (member.seqs[at] === seq) member.seqs.splice(at, 1);
  }
  // Drop the consumed front now and then, so a long-lived member's array does not only grow.
  if (member.head > 1024 && member.head * 2 > member.seqs.length) {
    member.seqs = member.seqs.slice(member.head);
    member.head = 0;
  }
}

export function lowerBound(seqs: number[], seq: number, from: number): number {
  let lo = from;
  let hi = seqs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (seqs[mid]! < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
