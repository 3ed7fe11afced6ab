/**
 * Keeps held messages invisible while they wait for or run their handler: every interval it
 * renews the visibility timeout of everything held, so a long handler never lets its message
 * reappear to another consumer. Renewing all at one tick (not one timer per message) costs one
 * ChangeMessageVisibilityBatch per 10 held messages per interval.
 */

export class Heartbeat<M extends { receiptHandle: string }> {
  private readonly held = new Map<string, M>();
  private timer?: ReturnType<typeof setInterval>;

  constructor(
    private readonly intervalMs: number,
    private readonly renew: (messages: M[]) => void,
  ) {}

  hold(message: M): void {
    this.held.set(message.receiptHandle, message);
    if (this.intervalMs > 0) this.timer ??= setInterval(() => this.beat(), this.intervalMs);
  }

  release(message: M): void {
    this.held.delete(message.receiptHandle);
    if (this.held.size === 0) this.stop();
  }

  releaseAll(): void {
    this.held.clear();
    this.stop();
  }

  isHeld(message: M): boolean {
    return this.held.has(message.receiptHandle);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private beat(): void {
    if (this.held.size > 0) this.renew([...this.held.values()]);
  }
}
