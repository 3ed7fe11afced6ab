/**
 * Receive state of plain standard messages, in memory only (storage.md): who may hold a message
 * until when. A receive or ChangeMessageVisibility writes no row; a crash forgets the leases and
 * the messages they covered become visible early, which at-least-once delivery allows.
 * Bounded by the messages received and not yet deleted (at most 120,000 are ever in flight).
 */
export interface Lease {
  visibleAt: number;
  receiveCount: number;
  firstReceiveAt: number | null;
  /** null while a move holds the message (earlier handles may not change its visibility) */
  lastReceiveAt: number | null;
  generation: number;
}

export class Leases {
  private readonly bySeq = new Map<number, Lease>();

  get size(): number {
    return this.bySeq.size;
  }

  get(seq: number): Lease | undefined {
    return this.bySeq.get(seq);
  }

  has(seq: number): boolean {
    return this.bySeq.has(seq);
  }

  set(seq: number, lease: Lease): void {
    this.bySeq.set(seq, lease);
  }

  delete(seq: number): boolean {
    return this.bySeq.delete(seq);
  }

  clear(): void {
    this.bySeq.clear();
  }

  entries(): IterableIterator<[number, Lease]> {
    return this.bySeq.entries();
  }

  /** Leases still running at `now`, counted up to `limit`. */
  activeCount(now: number, limit: number): number {
    let n = 0;
    for (const lease of this.bySeq.values()) {
      if (lease.visibleAt > now && ++n >= limit) break;
    }
    return n;
  }
}
