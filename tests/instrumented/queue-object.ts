/**
 * TEST AND BENCH ONLY: the queue object with the hooks the unit tests and the bench use. The
 * deployed Worker exports the plain QueueObject, which answers none of these; the unit tests'
 * and the bench's Worker (worker.ts here) export this class under the same name instead.
 */
import { QueueObject } from "../../durable-objects/queue/queue-object.js";
import type { QueuePort } from "../../durable-objects/queue/queue-port.js";
import type { SegmentStore } from "../../durable-objects/queue/segment-store.js";
import type { SqlStats } from "../../durable-objects/sql.js";
import { busyStatsOf, measureBusyTime, type BusyStats } from "./busy-time.js";

/** The queue object's entry points; the meter also counts the private methods they call, which are not requests. */
const BILLED_ENTRY_POINTS = new Set([
  "create", "exists", "describe", "deleteQueue", "getAttributes", "setAttributes", "purge", "addPermission",
  "removePermission", "tag", "untag", "listTags", "send", "receive", "deleteMessages", "changeVisibility",
  "startMoveTask", "cancelMoveTask", "listMoveTasks", "acceptLetters", "peek", "minuteSamples",
  "partitionCount", "setPartitionCount", "hasMessages", "resumeNotices", "fetch", "alarm",
]);

export class InstrumentedQueueObject extends QueueObject {
  /** A fault to inject between a move's copy and its delete (simulates a restart there). */
  faultAfterCopy: (() => void) | undefined;

  /** How long leases stay in memory only before they are stored (segment-memory.ts, checkpointMs). */
  set leaseCheckpointMs(ms: number) {
    this.engine.segments.checkpointMs = ms;
  }

  /**
   * Forgets everything held in memory and wakes again from storage, as a restart after a crash
   * or an eviction would (what storage.md says a crash can do, tested in-process).
   */
  simulateRestart(): void {
    this.engine.wake();
  }

  /** SQLite rows read and written (alarm writes included) by this object since it was built. */
  sqlStats(): SqlStats {
    return { ...this.engine.sql.stats };
  }

  /** What the message store keeps in memory (the bench's memory case reports it). */
  memoryStats(): ReturnType<SegmentStore["memoryStats"]> {
    return this.engine.segments.memoryStats();
  }

  /** Time with a handler in progress and calls per method since it was built (the bench reports them). */
  busyStats(): BusyStats {
    return busyStatsOf(this);
  }

  /**
   * Requests this object served since it was built, per entry point (what Cloudflare bills as a
   * request: RPC methods, fetch, alarm), from the busy-time meter's call counts.
   */
  requestCounts(): Record<string, number> {
    const { calls } = busyStatsOf(this);
    return Object.fromEntries(Object.entries(calls).filter(([name]) => BILLED_ENTRY_POINTS.has(name)));
  }

  /** The real port, with `faultAfterCopy` run after every copy another queue accepted. */
  protected override queuePort(): QueuePort {
    const port = super.queuePort();
    return {
      partitions: (arn) => port.partitions(arn),
      peer: (arn, partition) => port.peer(arn, partition),
      byArn: (arn, partition) => {
        const sink = port.byArn(arn, partition);
        return {
          acceptLetters: async (letters, options) => {
            const outcome = await sink.acceptLetters(letters, options);
            if (outcome.ok) this.faultAfterCopy?.();
            return outcome;
          },
        };
      },
    };
  }
}

// Busy time is measured around every method (busy-time.ts), except the readers of the stats.
measureBusyTime(InstrumentedQueueObject, ["sqlStats", "memoryStats", "busyStats", "requestCounts"], QueueObject);
