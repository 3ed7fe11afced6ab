/**
 * The queue's one alarm, set for the earliest thing due: retention expiry, the end of a
 * deduplication or receive-attempt window or of a dead-letter move's claim, the next step of a
 * running move task, the once-a-minute sweep of FIFO deduplication records, and, for parked long
 * polls, the next message to become deliverable. Cloudflare bills each setAlarm() and
 * deleteAlarm() as a row written, so they are counted with the SQL rows, and a write that only
 * adds a later due time (most sends) leaves an alarm that is early enough alone.
 */
import type { Sql } from "../sql.js";
import { DEDUP_SWEEP_MS, hasFifoDedup, nextDedupExpiry } from "./dedup.js";
import type { MessageStores } from "./message-state.js";
import { activeTask, MOVE_STEP_MS } from "./move-task.js";
import { nextExpiry } from "./retention.js";
import type { QueueConfig } from "./types.js";

/** What the scheduler asks of the queue when it recomputes the alarm. */
export interface AlarmSources {
  stores: MessageStores;
  config: QueueConfig;
  now: number;
  /** When the next message becomes deliverable, if long polls are parked (else undefined). */
  parkedWakeAt(): number | undefined;
}

export class AlarmScheduler {
  /** The alarm time last set (null: none; undefined: unknown, as after a wake or when it fired). */
  private alarmAt: number | null | undefined;
  /** When the alarm last swept expired FIFO deduplication records (dedup.ts: at most once a minute). */
  private dedupSweptAt = -Infinity;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly sql: Sql,
  ) {}

  /** At wake: nothing known about the stored alarm; the sweep counts from now. */
  reset(now: number): void {
    this.alarmAt = undefined;
    this.dedupSweptAt = now;
  }

  /** The alarm fired: it is no longer set. */
  fired(): void {
    this.alarmAt = undefined;
  }

  /** Whether the alarm running at `now` sweeps the FIFO deduplication records (and notes that it does). */
  sweepDue(now: number): boolean {
    if (now < this.dedupSweptAt + DEDUP_SWEEP_MS) return false;
    this.dedupSweptAt = now;
    return true;
  }

  /**
   * Sets the alarm for the earliest due time. With a `candidate` (the due time a write just
   * created) an alarm already set at or before it is left alone.
   */
  schedule(sources: AlarmSources, candidate?: number): void {
    if (candidate !== undefined && this.alarmAt != null && this.alarmAt <= candidate) return;
    const { stores, config, now } = sources;
    const times = [nextExpiry(stores, Number(config.attributes.MessageRetentionPeriod)), nextDedupExpiry(this.sql)];
    // A running move task steps once a second (real time: it paces real deliveries).
    if (activeTask(this.sql)) times.push(Date.now() + MOVE_STEP_MS);
    // FIFO deduplication records are swept once a minute while there are any (dedup.ts).
    if (config.fifo && hasFifoDedup(this.sql)) times.push(Math.max(this.dedupSweptAt + DEDUP_SWEEP_MS, now));
    // Parked long polls are woken by the alarm when a delayed or in-flight message becomes visible.
    times.push(sources.parkedWakeAt());
    const due = Math.min(...times.filter((t): t is number => t !== undefined));
    this.set(Number.isFinite(due) ? due : null);
  }

  /** An alarm now (a move task just started). */
  now(): void {
    this.alarmAt = undefined;
    this.set(Date.now());
  }

  /** No alarm (the queue is deleted); resolves once it is gone. */
  async clear(): Promise<void> {
    await this.write(null);
  }

  private set(next: number | null): void {
    if (next === this.alarmAt) return;
    void this.write(next);
  }

  private write(next: number | null): Promise<void> {
    this.alarmAt = next;
    this.sql.countAlarmWrite();
    return next === null ? this.storage.deleteAlarm() : this.storage.setAlarm(next);
  }
}
