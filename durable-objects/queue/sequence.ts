/**
 * The sequence allocator. Message seqs (and so FIFO SequenceNumbers) strictly increase for the
 * queue's whole life: time-based (they count microseconds), so they keep growing after the queue
 * empties, and never below a high-water mark kept in storage, so a restart (or a clock that went
 * back) cannot reissue one. The mark is reserved SEQ_RESERVE ahead, costing one row write per
 * reservation, not per message.
 */
import type { Sql } from "../sql.js";

/** How far ahead of the last seq a reservation reaches: a minute of seqs. */
const SEQ_RESERVE = 60_000_000;

export class SequenceAllocator {
  /** Last seq handed out. */
  private last = 0;
  /** Highest seq reserved in storage. */
  private reserved = 0;

  constructor(private readonly sql: Sql) {}

  /** At wake: above every stored message (`highestStored`) and the stored reservation. */
  load(highestStored: number): void {
    this.reserved = Number(this.sql.one<{ r: number }>("SELECT reserved AS r FROM sequence_reserve WHERE id = 1")?.r ?? 0);
    this.last = Math.max(highestStored, this.reserved);
  }

  next(now: number): number {
    this.last = Math.max(this.last + 1, now * 1000);
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
