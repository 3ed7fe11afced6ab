/**
 * The segment store's writes other than a receive's (storage.md): messages arriving (appended to
 * the newest segment), deleted, their receive state stored, leases checkpointed, expiry, purge,
 * and the rebuild of memory from storage at wake. Each changes memory and marks its segment
 * dirty; segment-store.ts writes the dirty segments at the group commit.
 */
import type { Lease } from "./leases.js";
import type { MessageRow } from "./message-types.js";
import { groupOf, toMeta, toPayload, type Meta } from "./segment-format.js";
import type { GroupIndex, Segment } from "./segment-memory.js";
import { SegmentScans } from "./segment-scans.js";
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

export type StoredState = Pick<MessageRow, "visible_at" | "receive_count" | "receipt_gen" | "first_receive_at" | "last_receive_at">;

export abstract class SegmentWrites extends SegmentScans {
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
    if (this.checkpoint !== undefined) clearTimeout(this.checkpoint);
    this.checkpoint = undefined;
    this.summaries = [];
    this.cache.clear();
    this.dirty.clear();
    this.dropped.clear();
    this.largePending.clear();
    this.resetHint();
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
      this.dirty.add(tail);
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
    } else this.dirty.add(segment);
    this.groups?.removed(groupOf(meta), seq);
    return true;
  }

  /** Stores a message's receive state durably (a claim for a move, a receive that must survive a crash). */
  setStored(seq: number, state: StoredState): void {
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
    this.dirty.add(segment);
    this.touched(summary);
    this.groups?.changed?.(groupOf(meta));
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
      for (const [seq, lease] of [...this.leases.entries()]) this.setStored(seq, storedStateOf(lease));
      this.flush();
    });
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

  /** Writes every change now, inside the caller's transaction (segment-store.ts). */
  abstract flush(): void;

  /** The newest segment, ready to take appends (its payload as JSON parts). */
  private tail(): Segment | undefined {
    const last = this.summaries.at(-1);
    if (!last) return undefined;
    const segment = this.segment(last.id);
    if (segment.payloadParts === undefined) {
      segment.payload ??= this.readPayload(segment.id);
      segment.payloadParts = segment.payload.map((p) => JSON.stringify(p));
      segment.payloadChars = segment.payloadParts.reduce((n, part) => n + part.length + 1, 1);
    }
    return segment;
  }

  private dropLargePending(from: number, to: number): void {
    for (const seq of this.largePending.keys()) if (seq >= from && seq <= to) this.largePending.delete(seq);
  }
}

function storedStateOf(lease: Lease): StoredState {
  return {
    visible_at: lease.visibleAt,
    receive_count: lease.receiveCount,
    receipt_gen: lease.generation,
    first_receive_at: lease.firstReceiveAt,
    last_receive_at: lease.lastReceiveAt,
  };
}
