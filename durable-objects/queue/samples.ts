/**
 * Per-minute samples of a queue (the console's charts, the metrics routes): messages sent,
 * received and deleted in each minute, and the depth (visible, in flight, delayed) at its end.
 * The minute being counted lives in memory; the first activity of a later minute stores it as
 * one row of a ring of SAMPLE_MINUTES slots. So an active queue writes at most one row a minute,
 * an idle one none (its depth is then the last stored one, unless delays or visibility timeouts
 * ran out meanwhile), and a restart loses at most the minute being counted.
 */
import type { Sql } from "../sql.js";
import type { MessageCounts } from "./counts.js";

/** Six hours of minutes. */
export const SAMPLE_MINUTES = 360;
const MINUTE_MS = 60_000;

export interface MinuteSample {
  /** The minute's start, epoch ms. */
  at: number;
  sent: number;
  received: number;
  deleted: number;
  visible: number;
  inFlight: number;
  delayed: number;
}

type Activity = "sent" | "received" | "deleted";

export class MinuteSamples {
  private current: { minute: number; sent: number; received: number; deleted: number } | undefined;

  constructor(private readonly sql: Sql) {}

  /** Before an operation: a new minute stores the one counted so far, with the depth before this operation. */
  roll(now: number, depth: () => MessageCounts): void {
    const minute = Math.floor(now / MINUTE_MS);
    if (this.current && this.current.minute !== minute) {
      this.store(this.current, depth());
      this.current = undefined;
    }
  }

  count(now: number, activity: Activity, n: number): void {
    if (n <= 0) return;
    const minute = Math.floor(now / MINUTE_MS);
    this.current ??= { minute, sent: 0, received: 0, deleted: 0 };
    this.current[activity] += n;
  }

  /** The stored samples of the last SAMPLE_MINUTES, oldest first, then the minute being counted with the depth now. */
  read(now: number, depth: MessageCounts): MinuteSample[] {
    const minute = Math.floor(now / MINUTE_MS);
    const rows = this.sql.all<{
      minute: number;
      sent: number;
      received: number;
      deleted: number;
      visible: number;
      in_flight: number;
      delayed: number;
    }>("SELECT minute, sent, received, deleted, visible, in_flight, delayed FROM minute_samples WHERE minute > ? ORDER BY minute", minute - SAMPLE_MINUTES);
    const samples = rows
      .filter((row) => row.minute !== this.current?.minute)
      .map((row) => ({
        at: row.minute * MINUTE_MS,
        sent: row.sent,
        received: row.received,
        deleted: row.deleted,
        visible: row.visible,
        inFlight: row.in_flight,
        delayed: row.delayed,
      }));
    const counted = this.current?.minute === minute ? this.current : undefined;
    samples.push({
      at: minute * MINUTE_MS,
      sent: counted?.sent ?? 0,
      received: counted?.received ?? 0,
      deleted: counted?.deleted ?? 0,
      visible: depth.visible,
      inFlight: depth.notVisible,
      delayed: depth.delayed,
    });
    return samples;
  }

  /** The queue was deleted: its storage is gone, and so is the minute being counted. */
  reset(): void {
    this.current = undefined;
  }

  private store(counted: NonNullable<MinuteSamples["current"]>, depth: MessageCounts): void {
    this.sql.run(
      `INSERT INTO minute_samples (slot, minute, sent, received, deleted, visible, in_flight, delayed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (slot) DO UPDATE SET minute = excluded.minute, sent = excluded.sent, received = excluded.received,
         deleted = excluded.deleted, visible = excluded.visible, in_flight = excluded.in_flight, delayed = excluded.delayed`,
      counted.minute % SAMPLE_MINUTES,
      counted.minute,
      counted.sent,
      counted.received,
      counted.deleted,
      depth.visible,
      depth.notVisible,
      depth.delayed,
    );
  }
}

/**
 * A partitioned queue's samples: each partition's, minute by minute, added up. Counts of a minute
 * a partition has no sample for are 0; its depth then is that of its latest earlier sample (an
 * idle partition stores none, and its depth is the last it stored), or 0 before its first.
 */
export function sumSamples(partitions: MinuteSample[][]): MinuteSample[] {
  const minutes = [...new Set(partitions.flatMap((samples) => samples.map((sample) => sample.at)))].sort((a, b) => a - b);
  const next = partitions.map(() => 0);
  const depth = partitions.map(() => ({ visible: 0, inFlight: 0, delayed: 0 }));
  return minutes.map((at) => {
    const sum: MinuteSample = { at, sent: 0, received: 0, deleted: 0, visible: 0, inFlight: 0, delayed: 0 };
    partitions.forEach((samples, k) => {
      const sample = samples[next[k]!];
      if (sample?.at === at) {
        sum.sent += sample.sent;
        sum.received += sample.received;
        sum.deleted += sample.deleted;
        depth[k] = { visible: sample.visible, inFlight: sample.inFlight, delayed: sample.delayed };
        next[k]! += 1;
      }
      sum.visible += depth[k]!.visible;
      sum.inFlight += depth[k]!.inFlight;
      sum.delayed += depth[k]!.delayed;
    });
    return sum;
  });
}
