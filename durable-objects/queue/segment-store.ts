/**
 * Where a queue keeps its messages, of every kind: packed into segments, up to 64 to a SQLite
 * row, with their receive state in memory at first. The design and what a crash can do are in
 * storage.md beside this file; in short:
 *
 * - A row holds a run of consecutive messages: `meta` (small per-message fields, read at
 *   start-up) and `payload` (bodies and attributes, read only when a message is delivered).
 *   A send appends to the newest segment, a delete rewrites the segment's `meta`, and the last
 *   delete removes the row: no index, one row write per touched segment (segment-writes.ts).
 * - Writes are group-committed: operations change segments in memory and mark them dirty, and
 *   `commit()` writes every dirty segment once, in one transaction, on the next turn of the
 *   event loop. Every operation awaits that commit before it answers, so nothing is
 *   acknowledged before it is durable, while 32 concurrent sends share one row write.
 * - Receives write nothing at once: who holds a message and until when is a lease in memory
 *   (leases.ts), stored two seconds later if the message is still in flight (storeLeases). A
 *   crash forgets the newer leases, so those messages become visible early: at-least-once.
 *
 * This file is the store itself and the receive path through it (finding and reading messages,
 * `visible`, `lease`, the group commit), so a receive runs in it alone; the writes and the
 * other scans are the layers below (segment-writes.ts, segment-scans.ts, segment-memory.ts).
 */
import type { Lease } from "./leases.js";
import type { MessageRow } from "./message-types.js";
import { binarySearch, groupOf, type Meta, type Payload } from "./segment-format.js";
import type { Found, LargeBody, Segment } from "./segment-memory.js";
import { dueAt, resetSummary, summarize, type Summary } from "./segment-summary.js";
import { SegmentWrites } from "./segment-writes.js";
import { sequenceNumberOf } from "./sequence-number.js";

/** Decoded segments kept in memory besides the dirty ones: at most 64 x 256 KB of payload. */
const CACHED_SEGMENTS = 64;

export class SegmentStore extends SegmentWrites {
  get highestSeq(): number {
    return this.summaries.at(-1)?.last ?? 0;
  }

  /** The message as a row (its lease applied), or undefined when it is not here. */
  row(seq: number): MessageRow | undefined {
    const found = this.find(seq);
    return found ? this.toRow(found.segment, found.index) : undefined;
  }

  /** A stored message's visibility deadline (its lease's, else the stored one). */
  visibleAtOf(seq: number): number | undefined {
    const found = this.find(seq);
    return found ? (this.leases.get(seq)?.visibleAt ?? found.meta.v) : undefined;
  }

  /** Whether the message is deliverable now: stored, visible, and not past retention. Reads no payload. */
  isDeliverable(seq: number, now: number, expiredBefore: number): boolean {
    const found = this.find(seq);
    if (!found || found.meta.e <= expiredBefore) return false;
    return (this.leases.get(seq)?.visibleAt ?? found.meta.v) <= now;
  }

  /** Whether a message with this seq is stored here. */
  has(seq: number): boolean {
    return this.find(seq) !== undefined;
  }

  /**
   * Up to `limit` messages deliverable now (visible, not past retention), oldest segment first.
   * Segments whose summary rules them out are skipped without being read; the ones read get
   * exact summaries, and the skipped prefix is remembered until something in it may be due.
   */
  visible(now: number, expiredBefore: number, limit: number): MessageRow[] {
    const out: MessageRow[] = [];
    const usingHint = now < this.hintUntil;
    let i = usingHint ? this.indexFrom(this.hintId) : 0;
    // While no segment has given anything, the segments passed extend the skippable prefix.
    let inPrefix = true;
    let prefixUntil = usingHint ? this.hintUntil : Infinity;
    for (; i < this.summaries.length && out.length < limit; i++) {
      const summary = this.summaries[i]!;
      let found = false;
      if (dueAt(summary) <= now) {
        const segment = this.segment(summary.id);
        for (let k = 0; k < segment.meta.length && out.length < limit; k++) {
          const meta = segment.meta[k]!;
          if (meta.x || meta.e <= expiredBefore) continue;
          if ((this.leases.get(meta.s)?.visibleAt ?? meta.v) > now) continue;
          found = true;
          out.push(this.toRow(segment, k));
        }
        summarize(resetSummary(summary), segment.meta, this.leases);
      }
      if (!inPrefix) continue;
      if (found) {
        inPrefix = false;
        this.hintId = summary.id;
        this.hintUntil = prefixUntil;
      } else {
        // Past retention but not yet deleted by the alarm: skippable only for now.
        prefixUntil = Math.min(prefixUntil, Math.max(dueAt(summary), now + 1));
      }
    }
    if (inPrefix) {
      this.hintId = i < this.summaries.length ? this.summaries[i]!.id : Infinity;
      this.hintUntil = prefixUntil;
    }
    // Within one receive, the ones due first come first (a delayed message sent earlier waits).
    return out.sort((a, b) => a.visible_at - b.visible_at || a.seq - b.seq);
  }

  /** Gives a message a lease (a receive): memory only, stored by the checkpoint if it lasts. */
  lease(seq: number, lease: Lease): void {
    const found = this.find(seq);
    if (!found) return;
    if (!this.leases.has(seq)) found.summary.leased += 1;
    this.leases.set(seq, lease);
    this.checkpoint ??= setTimeout(() => this.storeLeases(), this.checkpointMs);
    found.summary.minLease = Math.min(found.summary.minLease, lease.visibleAt);
    this.touched(found.summary);
    this.groups?.changed?.(groupOf(found.meta));
  }

  /**
   * Resolves once every change made so far is written: one transaction on the next turn of the
   * event loop, shared by every operation that asked meanwhile (group commit).
   */
  commit(): Promise<void> {
    if (this.dirty.size === 0 && this.dropped.size === 0) return this.pending ?? Promise.resolve();
    this.pending ??= new Promise<void>((resolve, reject) =>
      setTimeout(() => {
        this.pending = undefined;
        try {
          this.transaction(() => this.flush());
          resolve();
        } catch (error) {
          reject(error);
        }
      }, 0),
    );
    return this.pending;
  }

  /** Writes every change now, inside the caller's transaction (moves between queues, the alarm). */
  flush(): void {
    if (this.dirty.size === 0 && this.dropped.size === 0) return;
    try {
      for (const [id, last] of this.dropped) {
        this.sql.run("DELETE FROM segments WHERE id = ?", id);
        this.sql.run("DELETE FROM large_bodies WHERE seq >= ? AND seq <= ?", id, last);
      }
      for (const [seq, large] of this.largePending) {
        const { body, attributes, system_attributes } = large;
        this.sql.run("INSERT OR REPLACE INTO large_bodies (seq, body, attributes, system_attributes) VALUES (?, ?, ?, ?)", seq, body, attributes, system_attributes);
      }
      for (const segment of this.dirty) {
        const meta = JSON.stringify(segment.meta);
        if (segment.isNew) {
          this.sql.run("INSERT INTO segments (id, meta, payload) VALUES (?, ?, ?)", segment.id, meta, payloadJson(segment));
        } else if (segment.payloadDirty) {
          this.sql.run("UPDATE segments SET meta = ?, payload = ? WHERE id = ?", meta, payloadJson(segment), segment.id);
        } else this.sql.run("UPDATE segments SET meta = ? WHERE id = ?", meta, segment.id);
      }
    } catch (error) {
      // Memory ran ahead of storage: start again from what is stored (leases too may name
      // messages that were never written; forgetting them only makes messages visible early).
      console.error("segment commit failed; reloading the queue's segments", error);
      this.leases.clear();
      this.load();
      throw error;
    }
    const tailId = this.summaries.at(-1)?.id;
    for (const segment of this.dirty) {
      segment.isNew = segment.payloadDirty = false;
      // Only the newest segment takes appends; the others need no second copy of their payload.
      if (segment.id !== tailId) segment.payloadParts = undefined;
    }
    this.dirty.clear();
    this.dropped.clear();
    this.largePending.clear();
    this.evict();
  }

  protected find(seq: number): Found | undefined {
    const at = this.indexAtOrBefore(seq);
    if (at < 0) return undefined;
    const summary = this.summaries[at]!;
    if (seq > summary.last) return undefined;
    const segment = this.segment(summary.id);
    const index = binarySearch(segment.meta, seq);
    if (index < 0 || segment.meta[index]!.x) return undefined;
    return { segment, index, meta: segment.meta[index]!, summary };
  }

  protected segment(id: number): Segment {
    const cached = this.cache.get(id);
    if (cached) {
      this.cache.delete(id);
      this.cache.set(id, cached);
      return cached;
    }
    const row = this.sql.one<{ meta: string }>("SELECT meta FROM segments WHERE id = ?", id);
    if (!row) throw new Error(`segment ${id} is missing`);
    const segment: Segment = { id, meta: JSON.parse(row.meta) as Meta[], isNew: false, payloadDirty: false, payloadChars: 0 };
    this.cache.set(id, segment);
    this.evict();
    return segment;
  }

  protected readPayload(id: number): Payload[] {
    const row = this.sql.one<{ payload: string }>("SELECT payload FROM segments WHERE id = ?", id);
    return row ? (JSON.parse(row.payload) as Payload[]) : [];
  }

  protected toRow(segment: Segment, index: number): MessageRow {
    segment.payload ??= this.readPayload(segment.id);
    const meta = segment.meta[index]!;
    const payload = segment.payload[index]!.s === meta.s ? segment.payload[index]! : segment.payload.find((p) => p.s === meta.s)!;
    const lease = this.leases.get(meta.s);
    const large = payload.big ? this.large(meta.s) : undefined;
    return {
      seq: meta.s,
      message_id: payload.id,
      body: large?.body ?? payload.b,
      md5_body: payload.mb,
      attributes: large ? large.attributes : (payload.a ?? null),
      md5_attributes: payload.ma ?? null,
      system_attributes: large ? large.system_attributes : (payload.sa ?? null),
      md5_system_attributes: payload.ms ?? null,
      sender_id: payload.snd,
      sent_at: payload.t,
      enqueued_at: meta.e,
      visible_at: lease?.visibleAt ?? meta.v,
      receive_count: lease?.receiveCount ?? meta.rc,
      first_receive_at: lease ? lease.firstReceiveAt : (meta.fr ?? null),
      last_receive_at: lease ? lease.lastReceiveAt : (meta.lr ?? null),
      receipt_gen: lease?.generation ?? meta.g,
      group_id: groupOf(meta) ?? null,
      dedup_id: payload.dd ?? null,
      sequence_number: meta.q !== undefined ? sequenceNumberOf(meta.s) : null,
      dead_letter_source_arn: payload.dl ?? null,
      send_id: meta.i ?? null,
    };
  }

  private large(seq: number): LargeBody {
    const pending = this.largePending.get(seq);
    if (pending) return pending;
    const stored = this.sql.one<LargeBody>("SELECT body, attributes, system_attributes FROM large_bodies WHERE seq = ?", seq);
    return stored ?? { body: "", attributes: null, system_attributes: null };
  }

  protected touched(summary: Summary): void {
    if (summary.id < this.hintId) this.resetHint();
  }

  protected resetHint(): void {
    this.hintId = -Infinity;
    this.hintUntil = -Infinity;
  }

  protected evict(): void {
    if (this.cache.size <= CACHED_SEGMENTS) return;
    for (const [id, segment] of this.cache) {
      if (this.cache.size <= CACHED_SEGMENTS) break;
      if (this.dirty.has(segment) || id === this.summaries.at(-1)?.id) continue;
      this.cache.delete(id);
    }
  }

  protected indexAtOrBefore(seq: number): number {
    let lo = 0;
    let hi = this.summaries.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.summaries[mid]!.id <= seq) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return at;
  }

  private indexFrom(id: number): number {
    const at = this.indexAtOrBefore(id);
    return at < 0 ? 0 : this.summaries[at]!.id === id ? at : at + 1;
  }
}

/** A segment's payload as the row's text: joined from its parts while it takes appends. */
function payloadJson(segment: Segment): string {
  return segment.payloadParts ? `[${segment.payloadParts.join(",")}]` : JSON.stringify(segment.payload);
}
