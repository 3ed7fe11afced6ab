/**
 * The segment store's scans (storage.md): what a count, a move task, the alarm or a fair index
 * starting up reads across many segments (the receive's own scan, `visible`, is in
 * segment-store.ts). Each walks the summaries and reads only the segments whose summary says
 * they may matter, so a backlog of millions costs what a backlog of a hundred does.
 */
import type { MessageRow } from "./message-types.js";
import { binarySearch, groupOf } from "./segment-format.js";
import { SegmentMemory } from "./segment-memory.js";
import { dueAt } from "./segment-summary.js";

export abstract class SegmentScans extends SegmentMemory {
  /** Messages stored (not deleted). */
  get size(): number {
    let n = 0;
    for (const s of this.summaries) n += s.alive;
    return n;
  }

  /** Seqs of the stored messages without a group, below `below`, in order (a fair index starting up). */
  *ungroupedSeqs(below: number): Generator<number> {
    for (const summary of [...this.summaries]) {
      if (summary.id >= below) return;
      for (const meta of this.segment(summary.id).meta) {
        if (meta.s >= below) return;
        if (!meta.x && groupOf(meta) === undefined) yield meta.s;
      }
    }
  }

  /**
   * Every stored message in seq order, oldest or newest first, strictly past `after` in that
   * order (a peek's page cursor). Reads only; summaries, hints and leases are left as they are.
   */
  *rowsInOrder(newestFirst: boolean, after?: number): Generator<MessageRow> {
    const summaries = [...this.summaries];
    if (newestFirst) summaries.reverse();
    for (const summary of summaries) {
      if (after !== undefined && (newestFirst ? summary.id >= after : summary.last <= after)) continue;
      const segment = this.segment(summary.id);
      for (let n = 0; n < segment.meta.length; n++) {
        const k = newestFirst ? segment.meta.length - 1 - n : n;
        const meta = segment.meta[k]!;
        if (meta.x) continue;
        if (after !== undefined && (newestFirst ? meta.s >= after : meta.s <= after)) continue;
        yield this.toRow(segment, k);
      }
    }
  }

  /** Every stored message with seq <= `upTo`, in seq order (a FIFO move task walks them). */
  *rowsUpTo(upTo: number): Generator<MessageRow> {
    for (const summary of [...this.summaries]) {
      if (summary.id > upTo) return;
      const segment = this.segment(summary.id);
      for (let k = 0; k < segment.meta.length; k++) {
        const meta = segment.meta[k]!;
        if (meta.x) continue;
        if (meta.s > upTo) return;
        yield this.toRow(segment, k);
      }
    }
  }

  /** Epoch ms at which a message that is not deliverable now becomes deliverable, if any. */
  nextDueAt(now: number): number | undefined {
    let next = Infinity;
    for (const summary of this.summaries) {
      const due = dueAt(summary);
      if (due > now) next = Math.min(next, due);
    }
    return Number.isFinite(next) ? next : undefined;
  }

  /** Messages in seq order with seq <= `upTo`, visible now; for move tasks. */
  visibleUpTo(upTo: number, now: number, limit: number): MessageRow[] {
    const out: MessageRow[] = [];
    for (const summary of this.summaries) {
      if (summary.id > upTo || out.length >= limit) break;
      if (dueAt(summary) > now) continue;
      const segment = this.segment(summary.id);
      for (let k = 0; k < segment.meta.length && out.length < limit; k++) {
        const meta = segment.meta[k]!;
        if (meta.x || meta.s > upTo) continue;
        if ((this.leases.get(meta.s)?.visibleAt ?? meta.v) > now) continue;
        out.push(this.toRow(segment, k));
      }
    }
    return out;
  }

  /** Whether any message with seq <= `upTo` is stored. */
  hasUpTo(upTo: number): boolean {
    for (const summary of this.summaries) {
      if (summary.id > upTo) return false;
      if (summary.last <= upTo) return true;
      if (this.segment(summary.id).meta.some((meta) => !meta.x && meta.s <= upTo)) return true;
    }
    return false;
  }

  /** visible, in flight (received), delayed (never received, not yet visible): the Approximate* counts. */
  counts(now: number, expiredBefore: number): { visible: number; notVisible: number; delayed: number } {
    const counts = { visible: 0, notVisible: 0, delayed: 0 };
    for (const summary of this.summaries) {
      if (summary.leased === 0 && summary.maxV <= now && summary.minE > expiredBefore) {
        counts.visible += summary.alive;
        continue;
      }
      const segment = this.segment(summary.id);
      for (const meta of segment.meta) {
        if (meta.x || meta.e <= expiredBefore) continue;
        const lease = this.leases.get(meta.s);
        const visibleAt = lease?.visibleAt ?? meta.v;
        const received = (lease?.receiveCount ?? meta.rc) > 0;
        if (visibleAt <= now) counts.visible += 1;
        else if (received) counts.notVisible += 1;
        else counts.delayed += 1;
      }
    }
    return counts;
  }

  /** Messages in flight (received, not yet visible again), counted up to `limit`. */
  inFlight(now: number, limit: number): number {
    let n = this.leases.activeCount(now, limit);
    for (const summary of this.summaries) {
      if (n >= limit) break;
      if (summary.maxV <= now) continue;
      for (const meta of this.segment(summary.id).meta) {
        if (!meta.x && !this.leases.has(meta.s) && meta.v > now && meta.rc > 0) n += 1;
      }
    }
    return Math.min(n, limit);
  }

  /** Earliest enqueued_at of a stored message (retention's next expiry). */
  oldestEnqueuedAt(): number | undefined {
    let oldest = Infinity;
    for (const summary of this.summaries) oldest = Math.min(oldest, summary.minE);
    return Number.isFinite(oldest) ? oldest : undefined;
  }

  /** The MessageId of a message stored here, also of one deleted while its segment remains. */
  messageIdOf(seq: number): string | undefined {
    const at = this.indexAtOrBefore(seq);
    if (at < 0 || seq > this.summaries[at]!.last) return undefined;
    const segment = this.segment(this.summaries[at]!.id);
    const index = binarySearch(segment.meta, seq);
    if (index < 0) return undefined;
    segment.payload ??= this.readPayload(segment.id);
    return (segment.payload[index]!.s === seq ? segment.payload[index] : segment.payload.find((p) => p.s === seq))?.id;
  }

  /** What this store holds in memory (the bench reports it beside the process's memory). */
  memoryStats(): { messages: number; summaries: number; cachedSegments: number; cachedMessages: number; leases: number } {
    let cachedMessages = 0;
    for (const segment of this.cache.values()) cachedMessages += segment.meta.length;
    return { messages: this.size, summaries: this.summaries.length, cachedSegments: this.cache.size, cachedMessages, leases: this.leases.size };
  }
}
