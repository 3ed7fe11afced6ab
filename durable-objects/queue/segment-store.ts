/**
 * Where a queue keeps its messages, of every kind: packed into segments, up to
 * SEGMENT_MESSAGES to a SQLite row, with their receive state in memory at first. The design and
 * what a crash can do are in storage.md beside this file; in short:
 *
 * - A row holds a run of consecutive messages: `meta` (small per-message fields, read at
 *   start-up) and `payload` (bodies and attributes, read only when a message is delivered).
 *   A send appends to the newest segment, a delete rewrites the segment's `meta`, and the last
 *   delete removes the row: no index, one row write per touched segment.
 * - Writes are group-committed: operations change segments in memory and mark them dirty, and
 *   `commit()` writes every dirty segment once, in one transaction, on the next turn of the
 *   event loop. Every operation awaits that commit before it answers, so nothing is
 *   acknowledged before it is durable, while 32 concurrent sends share one row write.
 * - Receives write nothing at once: who holds a message and until when is a lease in memory
 *   (leases.ts), stored two seconds later if the message is still in flight (storeLeases). A
 *   crash forgets the newer leases, so those messages become visible early: at-least-once.
 * - In memory per segment: a summary (counts, earliest times). Decoded segments are cached,
 *   a bounded number of them; a backlog of millions costs its summaries, not its messages.
 */
import type { Sql } from "../sql.js";
import type { Lease } from "./leases.js";
import type { MessageRow } from "./message-types.js";
import { SegmentScans } from "./segment-scans.js";
import type { Segment } from "./segment-cache.js";
import { groupOf, toMeta, toPayload, type Meta } from "./segment-format.js";
import { emptySummary, resetSummary, summarize } from "./segment-summary.js";
import type { SendIndex } from "./send-ids.js";

/** Messages per segment, and payload bytes (JSON characters) a segment may grow to. */
const SEGMENT_MESSAGES = 64;
const SEGMENT_PAYLOAD_CHARS = 256 * 1024;
/**
 * A message whose payload would take more JSON than this keeps its body and attributes in a row
 * of `large_bodies` instead (raw text): JSON escaping can double a 1 MiB message, and a SQLite
 * row on Cloudflare holds at most 2 MB.
 */
const LARGE_PAYLOAD_CHARS = 128 * 1024;
/**
 * Leases are written to storage this long after the first one not yet stored: what a crash or
 * an eviction can make visible early is at most this much of receiving.
 */
export const LEASE_CHECKPOINT_MS = 2_000;
/**
 * Told about every message stored here, with its group (undefined for a message without one):
 * when one arrives, goes, or its receive state changes. The pickers' in-memory indexes
 * (fifo-groups.ts, fair-groups.ts) keep each group's messages from it.
 */
export interface GroupIndex {
  /** `visibleAt`: the message's visibility deadline as it arrives (no lease yet). */
  added(group: string | undefined, seq: number, visibleAt: number): void;
  removed(group: string | undefined, seq: number): void;
  changed(group: string | undefined): void;
  cleared(): void;
}

export class SegmentStore extends SegmentScans {
  private groups: GroupIndex | undefined;
  private sendIds: SendIndex | undefined;
  /** Segments to delete at the next commit (every message gone), with their last seq. */
  private readonly dropped = new Map<number, number>();
  private pending: Promise<void> | undefined;
  private checkpoint: ReturnType<typeof setTimeout> | undefined;
  /** How long after the first unstored lease all leases are stored (tests shorten or stretch it). */
  checkpointMs = LEASE_CHECKPOINT_MS;

  constructor(
    sql: Sql,
    private readonly transaction: (fn: () => void) => void,
  ) {
    super(sql);
  }

  /** The picker's group index to keep informed (picker.ts); attached before `load()`. */
  attachGroups(groups: GroupIndex | undefined): void {
    this.groups = groups;
  }

  /** The send-id index to rebuild at every load (send-ids.ts); attached before `load()`. */
  attachSendIds(sendIds: SendIndex): void {
    this.sendIds = sendIds;
  }

  /** Rebuilds the summaries from every segment's `meta` (start-up, and after a failed commit). */
  load(): void {
    this.forgetSegments();
    for (const row of this.sql.all<{ id: number; meta: string }>("SELECT id, meta FROM segments ORDER BY id")) {
      const meta = JSON.parse(row.meta) as Meta[];
      const summary = emptySummary(Number(row.id));
      summarize(summary, meta, this.leases);
      if (summary.alive > 0) this.summaries.push(summary);
      if (this.groups) for (const m of meta) if (!m.x) this.groups.added(groupOf(m), m.s, m.v);
      // Deleted messages too: a retried send of a message already deleted is still recognised.
      if (this.sendIds) for (const m of meta) if (m.i !== undefined) this.sendIds.added(m.i, m.s, m.e);
    }
  }

  /** Forgets everything (the queue's storage was deleted). */
  reset(): void {
    this.leases.clear();
    this.forgetSegments();
  }

  /** Drops what memory holds about segments (not the leases: they outlive a reload). */
  private forgetSegments(): void {
    this.groups?.cleared();
    this.sendIds?.cleared();
    this.cancelCheckpoint();
    this.summaries = [];
    this.cache.clear();
    this.dirty.clear();
    this.dropped.clear();
    this.largePending.clear();
    this.resetHint();
  }

  /** What this store holds in memory (the bench reports it beside the process's memory). */
  memoryStats(): { messages: number; summaries: number; cachedSegments: number; cachedMessages: number; leases: number } {
    let cachedMessages = 0;
    for (const segment of this.cache.values()) cachedMessages += segment.meta.length;
    return {
      messages: this.size,
      summaries: this.summaries.length,
      cachedSegments: this.cache.size,
      cachedMessages,
      leases: this.leases.size,
    };
  }

  /** Appends messages (seqs above every stored one) to the newest segment, or new ones. */
  insert(rows: MessageRow[]): void {
    for (const row of rows) {
      let payload = toPayload(row);
      let json = JSON.stringify(payload);
      if (json.length > LARGE_PAYLOAD_CHARS) {
        this.largePending.set(row.seq, { body: row.body, attributes: row.attributes, system_attributes: row.system_attributes });
        payload = { ...payload, b: "", a: null, sa: null, big: 1 };
        json = JSON.stringify(payload);
      }
      const chars = json.length;
      let tail = this.tail();
      if (!tail || tail.meta.length >= SEGMENT_MESSAGES || tail.payloadChars + chars > SEGMENT_PAYLOAD_CHARS) {
        tail = { id: row.seq, meta: [], payload: [], payloadParts: [], isNew: true, payloadDirty: true, payloadChars: 0 };
        this.cache.set(tail.id, tail);
        this.summaries.push(emptySummary(row.seq));
      }
      tail.payload ??= this.readPayload(tail.id);
      tail.meta.push(toMeta(row));
      tail.payload.push(payload);
      tail.payloadParts!.push(json);
      tail.payloadChars += chars;
      tail.payloadDirty = true;
      this.markDirty(tail);
      const summary = this.summaries.at(-1)!;
      summary.last = row.seq;
      summary.alive += 1;
      summary.minV = Math.min(summary.minV, row.visible_at);
      summary.maxV = Math.max(summary.maxV, row.visible_at);
      summary.minE = Math.min(summary.minE, row.enqueued_at);
      this.touched(summary);
      this.groups?.added(row.group_id ?? undefined, row.seq, row.visible_at);
    }
  }

  /** Deletes a message; false when it is not here. */
  remove(seq: number): boolean {
    const found = this.find(seq);
    if (!found) return false;
    const { segment, meta, summary } = found;
    meta.x = 1;
    summary.alive -= 1;
    if (this.leases.delete(seq)) summary.leased -= 1;
    if (summary.alive === 0) {
      this.summaries.splice(this.summaries.indexOf(summary), 1);
      this.cache.delete(segment.id);
      this.dirty.delete(segment);
      if (!segment.isNew) this.dropped.set(segment.id, summary.last);
      else this.dropLargePending(segment.id, summary.last);
      this.resetHint();
    } else this.markDirty(segment, true);
    this.groups?.removed(groupOf(meta), seq);
    return true;
  }

  /** Gives a message a lease (a receive): memory only. */
  lease(seq: number, lease: Lease): void {
    const found = this.find(seq);
    if (!found) return;
    if (!this.leases.has(seq)) found.summary.leased += 1;
    this.leases.set(seq, lease);
    this.checkpoint ??= setTimeout(() => this.storeLeases(), this.checkpointMs);
    found.summary.minLease = Math.min(found.summary.minLease, lease.visibleAt);
    this.touched(found.summary);
    this.groups?.changed(groupOf(found.meta));
  }

  /** Stores a message's receive state durably (a claim for a move, a receive that must survive a crash). */
  setStored(seq: number, state: Pick<MessageRow, "visible_at" | "receive_count" | "receipt_gen" | "first_receive_at" | "last_receive_at">): void {
    const found = this.find(seq);
    if (!found) return;
    const { meta, summary, segment } = found;
    if (this.leases.delete(seq)) summary.leased -= 1;
    meta.v = state.visible_at;
    meta.rc = state.receive_count;
    meta.g = state.receipt_gen;
    meta.fr = state.first_receive_at;
    meta.lr = state.last_receive_at;
    summary.minV = Math.min(summary.minV, meta.v);
    summary.maxV = Math.max(summary.maxV, meta.v);
    this.markDirty(segment, true);
    this.touched(summary);
    this.groups?.changed(groupOf(meta));
  }

  /**
   * Writes every lease to storage as the message's stored receive state (one row per segment
   * touched), so an object evicted while its consumers work, or one that crashes, forgets at
   * most the last LEASE_CHECKPOINT_MS of receives. Busy queues delete most messages before.
   */
  storeLeases(): void {
    this.checkpoint = undefined;
    if (this.leases.size === 0) return;
    this.transaction(() => {
      for (const [seq, lease] of [...this.leases.entries()]) {
        this.setStored(seq, {
          visible_at: lease.visibleAt,
          receive_count: lease.receiveCount,
          receipt_gen: lease.generation,
          first_receive_at: lease.firstReceiveAt,
          last_receive_at: lease.lastReceiveAt,
        });
      }
      this.flush();
    });
  }

  private cancelCheckpoint(): void {
    if (this.checkpoint !== undefined) clearTimeout(this.checkpoint);
    this.checkpoint = undefined;
  }

  /** Deletes every message (PurgeQueue). */
  clear(): void {
    this.groups?.cleared();
    for (const s of this.summaries) if (!this.cache.get(s.id)?.isNew) this.dropped.set(s.id, s.last);
    this.largePending.clear();
    this.summaries = [];
    this.cache.clear();
    this.dirty.clear();
    this.leases.clear();
    this.resetHint();
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
        this.sql.run(
          "INSERT OR REPLACE INTO large_bodies (seq, body, attributes, system_attributes) VALUES (?, ?, ?, ?)",
          seq,
          large.body,
          large.attributes,
          large.system_attributes,
        );
      }
      for (const segment of this.dirty) {
        const meta = JSON.stringify(segment.meta);
        if (segment.isNew) {
          this.sql.run("INSERT INTO segments (id, meta, payload) VALUES (?, ?, ?)", segment.id, meta, this.payloadJson(segment));
        } else if (segment.payloadDirty) {
          this.sql.run("UPDATE segments SET meta = ?, payload = ? WHERE id = ?", meta, this.payloadJson(segment), segment.id);
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

  /** Deletes the messages enqueued at or before `cutoff`; returns how many. */
  expire(cutoff: number): number {
    let expired = 0;
    for (const summary of [...this.summaries]) {
      if (summary.minE > cutoff) continue;
      const segment = this.segment(summary.id);
      for (const meta of segment.meta) {
        if (!meta.x && meta.e <= cutoff && this.remove(meta.s)) expired += 1;
      }
      if (summary.alive > 0) summarize(resetSummary(summary), segment.meta, this.leases);
    }
    return expired;
  }

  private payloadJson(segment: Segment): string {
    return segment.payloadParts ? `[${segment.payloadParts.join(",")}]` : JSON.stringify(segment.payload);
  }

  private dropLargePending(from: number, to: number): void {
    for (const seq of this.largePending.keys()) if (seq >= from && seq <= to) this.largePending.delete(seq);
  }

  private markDirty(segment: Segment, metaOnly = false): void {
    if (!metaOnly) segment.payloadDirty = true;
    this.dirty.add(segment);
  }
}
