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
import { Leases, type Lease } from "./leases.js";
import type { MessageRow } from "./message-types.js";
import { binarySearch, groupOf, toMeta, toPayload, type Meta, type Payload } from "./segment-format.js";
import { dueAt, emptySummary, resetSummary, summarize, type Summary } from "./segment-summary.js";
import { sequenceNumberOf } from "./sequence-number.js";
import type { SendIndex } from "./send-ids.js";
import type { Sql } from "./sql.js";

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
/** Decoded segments kept in memory besides the dirty ones: at most 64 x 256 KB of payload. */
const CACHED_SEGMENTS = 64;

interface Segment {
  id: number;
  meta: Meta[];
  /** Decoded lazily: a delete never needs it. */
  payload?: Payload[];
  /**
   * `payload` as JSON, one string per message, kept while the segment takes appends: an append
   * encodes only its own messages, and the row's text is joined once per commit.
   */
  payloadParts?: string[];
  /** Write state: new (INSERT), payload changed (appended), meta changed. */
  isNew: boolean;
  payloadDirty: boolean;
  metaDirty: boolean;
  payloadChars: number;
}

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

export class SegmentStore {
  readonly leases = new Leases();
  private groups: GroupIndex | undefined;
  private sendIds: SendIndex | undefined;
  private summaries: Summary[] = [];
  private readonly cache = new Map<number, Segment>();
  private readonly dirty = new Set<Segment>();
  /** Segments to delete at the next commit (every message gone), with their last seq. */
  private readonly dropped = new Map<number, number>();
  /** Large payloads to write at the next commit (seq -> body and attributes). */
  private readonly largePending = new Map<number, Pick<MessageRow, "body" | "attributes" | "system_attributes">>();
  private pending: Promise<void> | undefined;
  private checkpoint: ReturnType<typeof setTimeout> | undefined;
  /** How long after the first unstored lease all leases are stored (tests shorten or stretch it). */
  checkpointMs = LEASE_CHECKPOINT_MS;
  /** Summaries before this id have nothing deliverable before `hintUntil`. */
  private hintId = -Infinity;
  private hintUntil = -Infinity;

  constructor(
    private readonly sql: Sql,
    private readonly transaction: (fn: () => void) => void,
  ) {}

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

  get highestSeq(): number {
    return this.summaries.at(-1)?.last ?? 0;
  }

  get size(): number {
    let n = 0;
    for (const s of this.summaries) n += s.alive;
    return n;
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

  // ---- writes ----------------------------------------------------------------------------------

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
        tail = { id: row.seq, meta: [], payload: [], payloadParts: [], isNew: true, payloadDirty: true, metaDirty: true, payloadChars: 0 };
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
      segment.isNew = segment.payloadDirty = segment.metaDirty = false;
      // Only the newest segment takes appends; the others need no second copy of their payload.
      if (segment.id !== tailId) segment.payloadParts = undefined;
    }
    this.dirty.clear();
    this.dropped.clear();
    this.largePending.clear();
    this.evict();
  }

  // ---- reads -----------------------------------------------------------------------------------

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

  /** Whether the message is deliverable now: stored, visible, and not past retention. Reads no payload. */
  isDeliverable(seq: number, now: number, expiredBefore: number): boolean {
    const found = this.find(seq);
    if (!found || found.meta.e <= expiredBefore) return false;
    return (this.leases.get(seq)?.visibleAt ?? found.meta.v) <= now;
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

  /** Whether a plain message with this seq is stored here. */
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

  /** Earliest enqueued_at of a stored message (retention's next expiry). */
  oldestEnqueuedAt(): number | undefined {
    let oldest = Infinity;
    for (const summary of this.summaries) oldest = Math.min(oldest, summary.minE);
    return Number.isFinite(oldest) ? oldest : undefined;
  }

  // ---- internals -------------------------------------------------------------------------------

  private find(seq: number): { segment: Segment; index: number; meta: Meta; summary: Summary } | undefined {
    const at = this.indexAtOrBefore(seq);
    if (at < 0) return undefined;
    const summary = this.summaries[at]!;
    if (seq > summary.last) return undefined;
    const segment = this.segment(summary.id);
    const index = binarySearch(segment.meta, seq);
    if (index < 0 || segment.meta[index]!.x) return undefined;
    return { segment, index, meta: segment.meta[index]!, summary };
  }

  private segment(id: number): Segment {
    const cached = this.cache.get(id);
    if (cached) {
      this.cache.delete(id);
      this.cache.set(id, cached);
      return cached;
    }
    const row = this.sql.one<{ meta: string }>("SELECT meta FROM segments WHERE id = ?", id);
    if (!row) throw new Error(`segment ${id} is missing`);
    const segment: Segment = {
      id,
      meta: JSON.parse(row.meta) as Meta[],
      isNew: false,
      payloadDirty: false,
      metaDirty: false,
      payloadChars: 0,
    };
    this.cache.set(id, segment);
    this.evict();
    return segment;
  }

  private readPayload(id: number): Payload[] {
    const row = this.sql.one<{ payload: string }>("SELECT payload FROM segments WHERE id = ?", id);
    return row ? (JSON.parse(row.payload) as Payload[]) : [];
  }

  private payloadJson(segment: Segment): string {
    return segment.payloadParts ? `[${segment.payloadParts.join(",")}]` : JSON.stringify(segment.payload);
  }

  private toRow(segment: Segment, index: number): MessageRow {
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

  private large(seq: number): Pick<MessageRow, "body" | "attributes" | "system_attributes"> {
    return (
      this.largePending.get(seq) ??
      this.sql.one<{ body: string; attributes: string | null; system_attributes: string | null }>(
        "SELECT body, attributes, system_attributes FROM large_bodies WHERE seq = ?",
        seq,
      ) ?? { body: "", attributes: null, system_attributes: null }
    );
  }

  private dropLargePending(from: number, to: number): void {
    for (const seq of this.largePending.keys()) if (seq >= from && seq <= to) this.largePending.delete(seq);
  }

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

  private markDirty(segment: Segment, metaOnly = false): void {
    if (!metaOnly) segment.payloadDirty = true;
    segment.metaDirty = true;
    this.dirty.add(segment);
  }

  /** A summary got an earlier due time: the skip hint may no longer hold for it. */
  private touched(summary: Summary): void {
    if (summary.id < this.hintId) this.resetHint();
  }

  private resetHint(): void {
    this.hintId = -Infinity;
    this.hintUntil = -Infinity;
  }

  private evict(): void {
    if (this.cache.size <= CACHED_SEGMENTS) return;
    for (const [id, segment] of this.cache) {
      if (this.cache.size <= CACHED_SEGMENTS) break;
      if (this.dirty.has(segment) || id === this.summaries.at(-1)?.id) continue;
      this.cache.delete(id);
    }
  }

  private indexAtOrBefore(seq: number): number {
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
