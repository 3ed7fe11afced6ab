/**
 * When to wake long-poll waiters (long-poll.ts): at once when a receive would find a message,
 * else when the next message becomes deliverable (a delay or a visibility timeout ends): RPC
 * waiters by a timer, parked sockets by the alarm, which survives hibernation.
 */
import type { Waiters } from "./long-poll.js";
import type { Picker } from "./picker.js";
import type { QueueConfig } from "./types.js";

export interface WakeSources {
  config: QueueConfig | undefined;
  picker: Picker | undefined;
  waiters: Waiters;
  /** Makes sure the alarm fires by `at`. */
  alarmBy(at: number): void;
}

/** Whether a receive would find a message now. */
export function deliverable(w: WakeSources, now: number): boolean {
  if (!w.config || !w.picker) return false;
  return w.picker.deliverable(now, now - Number(w.config.attributes.MessageRetentionPeriod) * 1000);
}

/** When a message next becomes deliverable, if ever. */
export function nextDeliverableAt(w: WakeSources, now: number): number | undefined {
  return w.config && w.picker ? w.picker.nextDeliverableAt(now) : undefined;
}

/** Wakes the waiters if a receive would find a message now, else arranges their wake for the next one. */
export function wakeWaiters(w: WakeSources, now: number): void {
  if (!w.config || deliverable(w, now)) return w.waiters.wakeAll();
  wakeLater(w, now);
}

/** Wakes the waiters when the next message becomes deliverable. */
export function wakeLater(w: WakeSources, now: number): void {
  const next = nextDeliverableAt(w, now);
  if (next === undefined) return;
  w.waiters.wakeAfter(next - now, now);
  if (w.waiters.parked) w.alarmBy(next);
}
