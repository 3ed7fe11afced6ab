/**
 * Collects single-message operations (deletes, visibility changes) into batch calls of up to
 * 10 entries: one DeleteMessageBatch instead of ten DeleteMessage round trips. An entry waits
 * at most `windowMs` for company; each caller still gets its own promise.
 */
import { SluiceError } from "./errors.js";
import { MAX_BATCH_ENTRIES } from "./protocol/limits.js";
import type { IdBatchOutput } from "./types.js";

interface Waiting<E> {
  entry: E;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class BatchQueue<E> {
  private waiting: Waiting<E>[] = [];
  private timer?: ReturnType<typeof setTimeout>;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly send: (entries: (E & { id: string })[]) => Promise<IdBatchOutput>,
    private readonly windowMs: number,
  ) {}

  /** Resolves when the entry's batch succeeded for it; rejects with its own failure. */
  add(entry: E): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ entry, resolve, reject });
      if (this.waiting.length >= MAX_BATCH_ENTRIES) this.sendWaiting();
      else this.timer ??= setTimeout(() => this.sendWaiting(), this.windowMs);
    });
  }

  /** Sends everything waiting and resolves when every call has answered. */
  async flush(): Promise<void> {
    this.sendWaiting();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private sendWaiting(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_BATCH_ENTRIES);
      const call = this.sendBatch(batch).finally(() => this.inFlight.delete(call));
      this.inFlight.add(call);
    }
  }

  private async sendBatch(batch: Waiting<E>[]): Promise<void> {
    try {
      const result = await this.send(batch.map((w, i) => ({ ...w.entry, id: String(i) })));
      for (const { id } of result.successful) batch[Number(id)]?.resolve();
      for (const f of result.failed) {
        batch[Number(f.id)]?.reject(new SluiceError(f.code, f.message ?? f.code, { queryCode: f.code }));
      }
      // A settled promise ignores this; it only reaches entries the server left out of its answer.
      for (const w of batch) w.reject(new SluiceError("UnknownError", "The entry is missing from the batch result."));
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }
}
