/**
 * A segment's summary: what the store keeps in memory for every segment, so a receive, a
 * count or the retention alarm skips the segments that cannot matter without reading them.
 */
import type { Leases } from "./leases.js";
import type { Meta } from "./segment-format.js";

/** What start-up and every write keep per segment. Times are lower bounds: a scan makes them exact. */
export interface Summary {
  id: number;
  last: number;
  alive: number;
  leased: number;
  /** earliest stored visible_at of an alive message without a lease */
  minV: number;
  /** latest stored visible_at of an alive message (counts load segments with future ones) */
  maxV: number;
  /** earliest lease end of an alive message */
  minLease: number;
  /** earliest enqueued_at of an alive message (retention) */
  minE: number;
}

export function emptySummary(id: number): Summary {
  return { id, last: id, alive: 0, leased: 0, minV: Infinity, maxV: -Infinity, minLease: Infinity, minE: Infinity };
}

export function resetSummary(summary: Summary): Summary {
  Object.assign(summary, emptySummary(summary.id), { id: summary.id });
  return summary;
}

export function summarize(summary: Summary, metas: Meta[], leases: Leases): void {
  for (const meta of metas) {
    summary.last = Math.max(summary.last, meta.s);
    if (meta.x) continue;
    summary.alive += 1;
    summary.minE = Math.min(summary.minE, meta.e);
    summary.maxV = Math.max(summary.maxV, meta.v);
    const lease = leases.get(meta.s);
    if (lease) {
      summary.leased += 1;
      summary.minLease = Math.min(summary.minLease, lease.visibleAt);
      summary.maxV = Math.max(summary.maxV, lease.visibleAt);
    } else summary.minV = Math.min(summary.minV, meta.v);
  }
}

/** When a segment may next have something deliverable (a lower bound). */
export function dueAt(summary: Summary): number {
  const unleased = summary.alive > summary.leased ? summary.minV : Infinity;
  return Math.min(unleased, summary.minLease);
}
