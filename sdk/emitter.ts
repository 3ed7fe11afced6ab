/** A small typed event emitter: no Node `events`, so the Consumer runs in every runtime. */

type Listener<Args extends unknown[]> = (...args: Args) => void;
// Storage is untyped; `on` and `emit` keep each event's listeners and arguments in step.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyListener = (...args: any[]) => void;

export class Emitter<Events extends { [E in keyof Events]: unknown[] }> {
  private readonly listeners = new Map<keyof Events, Set<AnyListener>>();

  on<E extends keyof Events>(event: E, listener: Listener<Events[E]>): this {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return this;
  }

  off<E extends keyof Events>(event: E, listener: Listener<Events[E]>): this {
    this.listeners.get(event)?.delete(listener);
    return this;
  }

  once<E extends keyof Events>(event: E, listener: Listener<Events[E]>): this {
    const wrapper: Listener<Events[E]> = (...args) => {
      this.off(event, wrapper);
      listener(...args);
    };
    return this.on(event, wrapper);
  }

  /**
   * Calls the listeners in order. A throwing listener is logged, not propagated: it must not
   * break the poll loop that emitted. Errors nobody listens to are logged rather than lost.
   */
  protected emit<E extends keyof Events>(event: E, ...args: Events[E]): void {
    const set = this.listeners.get(event);
    if (!set?.size) {
      if (event === "error" || event === "processing_error") console.error(`[sluice] unhandled ${String(event)}:`, ...args);
      return;
    }
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (error) {
        console.error(`[sluice] a ${String(event)} listener threw:`, error);
      }
    }
  }
}
