/**
 * The bottom of the segment store (segment-store.ts, storage.md): what memory holds about the
 * segments (a summary each, a bounded cache of decoded segments, the leases) and how a message
 * is found and read back as a row. The scans (segment-scans.ts) and the writes
 * (segment-store.ts) build on it.
 */
import type { Sql } from "../sql.js";
import { Leases } from "./leases.js";
import type { MessageRow } from "./message-types.js";
import { binarySearch, groupOf, type Meta, type Payload } from "./segment-format.js";
import type { Summary } from "./segment-summary.js";
import { sequenceNumberOf } from "./sequence-number.js";

/** Decoded segments kept in memory besides the dirty ones: at most 64 x 256 KB of payload. */
const CACHED_SEGMENTS = 64;

export interface Segment {
  id: number;
  meta: Meta[];
  /** Decoded lazily: a delete never needs it. */
  payload?: Payload[];
  /**
   * `payload` as JSON, one string per message, kept while the segment takes appends: an append
   * encodes only its own messages, and the row's text is joined once per commit.
   */
  payloadParts?: string[];
  /** Write state: new (INSERT), payload changed (appended); either way its meta is written. */
  isNew: boolean;
  payloadDirty: boolean;
  payloadChars: number;
}

export type LargeBody = Pick<MessageRow, "body" | "attributes" | "system_attributes">;

export abstract class SegmentCache {
  readonly leases = new Leases();
  /** One per segment with a live message, in id (= seq) order. */
  protected summaries: Summary[] = [];
  protected readonly cache = new Map<number, Segment>();
  /** Segments with changes not yet written (segment-store.ts). */
  protected readonly dirty = new Set<Segment>();
  /** Large payloads to write at the next commit (seq -> body and attributes). */
  protected readonly largePending = new Map<number, LargeBody>();
  /** Summaries before this id have nothing deliverable before `hintUntil`. */
  protected hintId = -Infinity;
  protected hintUntil = -Infinity;

  constructor(protected readonly sql: Sql) {}

  get highestSeq(): number {
    return this.summaries.at(-1)?.last ?? 0;
  }

  get size(): number {
    let n = 0;
    for (const s of this.summaries) n += s.alive;
    return n;
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

  /** Whether a plain message with this seq is stored here. */
  has(seq: number): boolean {
    return this.find(seq) !== undefined;
  }

  protected find(seq: number): { segment: Segment; index: number; meta: Meta; summary: Summary } | undefined {
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
    const segment: Segment = {
      id,
      meta: JSON.parse(row.meta) as Meta[],
      isNew: false,
      payloadDirty: false,
      payloadChars: 0,
    };
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

  protected large(seq: number): LargeBody {
    return (
      this.largePending.get(seq) ??
      this.sql.one<{ body: string; attributes: string | null; system_attributes: string | null }>(
        "SELECT body, attributes, system_attributes FROM large_bodies WHERE seq = ?",
        seq,
      ) ?? { body: "", attributes: null, system_attributes: null }
    );
  }

  protected tail(): Segment | undefined {
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

  /** A summary got an earlier due time: the skip hint may no longer hold for it. */
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

  protected indexFrom(id: number): number {
    const at = this.indexAtOrBefore(id);
    return at < 0 ? 0 : this.summaries[at]!.id === id ? at : at + 1;
  }
}
