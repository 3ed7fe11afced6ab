/**
 * Long-poll waiters of one queue, in memory. A waiter is only ever woken, never handed
 * messages: the Worker then receives again if its client is still connected, so a client
 * that went away while waiting never has messages assigned to it.
 */

interface Waiter {
  resolve(woken: boolean): void;
  timer: ReturnType<typeof setTimeout>;
}

export class Waiters {
  private readonly waiting = new Set<Waiter>();
  private wakeTimer: ReturnType<typeof setTimeout> | undefined;
  private wakeAt = Infinity;

  get size(): number {
    return this.waiting.size;
  }

  /** Resolves true when woken, false when `timeoutMs` passes first. */
  wait(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(() => {
          this.waiting.delete(waiter);
          resolve(false);
        }, timeoutMs),
      };
      this.waiting.add(waiter);
    });
  }

  /** Wakes every waiter; each re-checks the queue, so exactly the ones that find messages get them. */
  wakeAll(): void {
    for (const waiter of this.waiting) {
      clearTimeout(waiter.timer);
      waiter.resolve(true);
    }
    this.waiting.clear();
  }

  /** Arms one timer for when an invisible message becomes visible (a delay or visibility timeout ends). */
  wakeAfter(delayMs: number, now: number): void {
    const at = now + delayMs;
    if (this.waiting.size === 0 || at >= this.wakeAt) return;
    if (this.wakeTimer !== undefined) clearTimeout(this.wakeTimer);
    this.wakeAt = at;
    this.wakeTimer = setTimeout(() => {
      this.wakeAt = Infinity;
      this.wakeAll();
    }, Math.max(0, delayMs));
  }
}
