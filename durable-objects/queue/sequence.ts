/**
 * The sequence allocator. Message seqs (and so FIFO SequenceNumbers) strictly increase for the
 * queue's whole life: time-based (they count microseconds), so they keep growing after the queue
 * empties, and never below a high-water mark kept in storage, so a restart (or a clock that went
 * back) cannot reissue one. The mark is reserved SEQ_RESERVE ahead, costing one row write per
 * reservation, not per message.
 *
 * A partitioned queue's partitions are separate allocators, so their numbers could meet: there a
 * partition's seqs all end in its index (seq % 100 == k, `residue`), making every number unique
 * per queue while each partition's still strictly increase. Partition 0 takes residue 0 only in a
 * FIFO queue with per-group deduplication that has the partition tag (where SequenceNumbers are
 * seen); an unpartitioned queue's numbers are what they always were.
 */
import type { Sql } from "../sql.js";
import type { QueueConfig } from "./types.js";

/** The index goes in the last two decimal digits: up to 100 partitions (64 are allowed). */
const RESIDUE_BASE = 100;

/** How far ahead of the last seq a reservation reaches: a minute of seqs. */
const SEQ_RESERVE = 60_000_000;

export class SequenceAllocator {
  /** Last seq handed out. */
  private last = 0;
  /** Highest seq reserved in storage. */
  private reserved = 0;
  /** When set, every seq handed out is this modulo RESIDUE_BASE (the partition's index). */
  residue: number | undefined;

  constructor(private readonly sql: Sql) {}

  /** At wake: above every stored message (`highestStored`) and the stored reservation. */
  load(highestStored: number): void {
    this.reserved = Number(this.sql.one<{ r: number }>("SELECT reserved AS r FROM sequence_reserve WHERE id = 1")?.r ?? 0);
    this.last = Math.max(highestStored, this.reserved);
  }

  /** The last seq handed out: every seq this object issued is at most this. */
  get issued(): number {
    return this.last;
  }

  /**
   * Makes every later seq exceed `floor`: a FIFO group that moves here from another partition
   * keeps increasing SequenceNumbers (group-homes.ts).
   */
  atLeast(floor: number): void {
    this.last = Math.max(this.last, floor);
  }

  next(now: number): number {
    const base = Math.max(this.last + 1, now * 1000);
    this.last = this.residue === undefined ? base : base + ((this.residue - (base % RESIDUE_BASE) + RESIDUE_BASE) % RESIDUE_BASE);
    if (this.last > this.reserved) {
      this.reserved = this.last + SEQ_RESERVE;
      this.sql.run(
        "INSERT INTO sequence_reserve (id, reserved) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET reserved = excluded.reserved",
        this.reserved,
      );
    }
    return this.last;
  }
}

/** The residue a partition's seqs end in (SequenceAllocator.residue), or undefined for any seq. */
export function sequenceResidue(config: QueueConfig, partition: number): number | undefined {
  if (partition > 0) return partition;
  // Deduplication per group is what lets a FIFO queue have partitions (its throughput limit may
  // change afterwards); a queue that has the tag but stays one object only gets other numbers.
  const tagged = Number(config.tags["sluice:partitions"]);
  const partitioned = config.groupRouting !== undefined || (config.attributes.DeduplicationScope === "messageGroup" && tagged > 1);
  return config.fifo && partitioned ? 0 : undefined;
}
