/** Time source of a queue, injected so tests move time instead of sleeping. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** The clock a queue object hands its operations; a test points it at its own time source. */
export class MovableClock implements Clock {
  constructor(public source: Clock) {}

  now(): number {
    return this.source.now();
  }
}
