/**
 * Runs tasks with at most `concurrency` at a time, where tasks sharing a key (a FIFO
 * MessageGroupId) run one at a time in the order they were pushed, and different keys run in
 * parallel. That is how SQS FIFO order survives concurrent handlers.
 */

export class GroupScheduler<T> {
  /** Queued tasks per key; Map order is arrival order, so the oldest waiting group goes first. */
  private readonly queues = new Map<unknown, T[]>();
  private readonly active = new Set<unknown>();
  private running = 0;
  private count = 0;
  private changed?: { promise: Promise<void>; resolve: () => void };

  constructor(
    private readonly concurrency: number,
    private readonly run: (task: T) => Promise<void>,
  ) {}

  /** Tasks queued or running. */
  get size(): number {
    return this.count;
  }

  /** Queues a task; `key` undefined means it orders with nothing. */
  push(key: unknown, task: T): void {
    const k = key ?? Symbol();
    const queue = this.queues.get(k);
    if (queue) queue.push(task);
    else this.queues.set(k, [task]);
    this.count++;
    this.pump();
  }

  /** Takes back the tasks of `key` that have not started (all keys when omitted). */
  drop(key?: unknown): T[] {
    const taken: T[] = [];
    for (const [k, queue] of this.queues) {
      if (key !== undefined && k !== key) continue;
      taken.push(...queue);
      this.queues.delete(k);
    }
    this.count -= taken.length;
    if (taken.length > 0) this.notify();
    return taken;
  }

  /** Resolves once fewer than `limit` tasks are queued or running. */
  async below(limit: number): Promise<void> {
    while (this.count >= limit) await this.nextChange();
  }

  private nextChange(): Promise<void> {
    if (!this.changed) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.changed = { promise, resolve };
    }
    return this.changed.promise;
  }

  private notify(): void {
    const changed = this.changed;
    this.changed = undefined;
    changed?.resolve();
  }

  private pump(): void {
    for (const [key, queue] of this.queues) {
      if (this.running >= this.concurrency) return;
      if (this.active.has(key)) continue;
      const task = queue.shift()!;
      if (queue.length === 0) this.queues.delete(key);
      this.active.add(key);
      this.running++;
      // `run` reports its own failures; a rejection here must only free the slot.
      this.run(task)
        .catch(() => {})
        .finally(() => {
          this.active.delete(key);
          this.running--;
          this.count--;
          this.notify();
          this.pump();
        });
    }
  }
}
