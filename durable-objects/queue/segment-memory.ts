/**
 * The bottom of the segment store (segment-store.ts, storage.md): what memory holds about the
 * segments (a summary each, a bounded cache of decoded segments, the leases, the changes not
 * yet written), and the few store operations the layers above it build on. Those are declared
 * here and written in segment-store.ts, beside the receive path that uses them most, so a
 * receive runs in one file of the store.
 */
import type { Sql } from "../sql.js";
import { Leases } from "./leases.js";
import type { MessageRow } from "./message-types.js";
import type { Meta, Payload } from "./segment-format.js";
import type { Summary } from "./segment-summary.js";
import type { SendIndex } from "./send-ids.js";

/** Leases are written this long after the first one not yet stored (what a crash can make visible early). */
export const LEASE_CHECKPOINT_MS = 2_000;

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

/** Where a stored message is: its segment, its index there, its meta and its segment's summary. */
export interface Found {
  segment: Segment;
  index: number;
  meta: Meta;
  summary: Summary;
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
  /** Optional: only an index that orders by visibility (FIFO groups) needs it. */
  changed?(group: string | undefined): void;
  cleared(): void;
}

export abstract class SegmentMemory {
  readonly leases = new Leases();
  /** One per segment with a live message, in id (= seq) order. */
  protected summaries: Summary[] = [];
  protected readonly cache = new Map<number, Segment>();
  /** Segments with changes not yet written. */
  protected readonly dirty = new Set<Segment>();
  /** Segments to delete at the next commit (every message gone), with their last seq. */
  protected readonly dropped = new Map<number, number>();
  /** Large payloads to write at the next commit (seq -> body and attributes). */
  protected readonly largePending = new Map<number, LargeBody>();
  /** Summaries before this id have nothing deliverable before `hintUntil`. */
  protected hintId = -Infinity;
  protected hintUntil = -Infinity;
  protected groups: GroupIndex | undefined;
  protected sendIds: SendIndex | undefined;
  protected pending: Promise<void> | undefined;
  protected checkpoint: ReturnType<typeof setTimeout> | undefined;
  /** How long after the first unstored lease all leases are stored (tests shorten or stretch it). */
  checkpointMs = LEASE_CHECKPOINT_MS;

  constructor(
    protected readonly sql: Sql,
    protected readonly transaction: (fn: () => void) => void,
  ) {}

  /** The decoded segment (from the cache, or its `meta` read). */
  protected abstract segment(id: number): Segment;
  protected abstract readPayload(id: number): Payload[];
  protected abstract find(seq: number): Found | undefined;
  protected abstract toRow(segment: Segment, index: number): MessageRow;
  /** A summary got an earlier due time: the skip hint may no longer hold for it. */
  protected abstract touched(summary: Summary): void;
  protected abstract resetHint(): void;
  protected abstract evict(): void;
  /** Index of the last summary whose id is at or before `seq` (-1: none). */
  protected abstract indexAtOrBefore(seq: number): number;
  /** Stores every lease (segment-writes.ts); the checkpoint timer calls it. */
  abstract storeLeases(): void;
}
