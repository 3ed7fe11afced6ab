/**
 * Busy time of a Durable Object, measured inside it: the wall-clock time during which at least
 * one request or event handler (RPC method, fetch, WebSocket event, alarm) is in progress. It is
 * what Cloudflare bills as duration for an object that could otherwise hibernate, so the bench
 * reads it (with `busyStats()`, like `sqlStats()`) to project what an idle queue costs.
 * Test and bench only: the instrumented queue object (queue-object.ts here) applies it; the
 * deployed one is not measured.
 *
 * The methods are wrapped on the class prototype, so no method body changes and a new method is
 * measured without anyone remembering to. Overlapping handlers count once (a depth counter), and
 * methods called from other methods only nest. Calls are counted per method name; the caller
 * knows which names are entry points. workerd advances its clock only across I/O, so a handler
 * that never awaits measures close to zero: that is the truth of it, not an error.
 */

/** Cumulative since the object was constructed. */
export interface BusyStats {
  /** Milliseconds with at least one handler in progress. */
  busyMs: number;
  /** Invocations per method name (entry points and the methods they call). */
  calls: Record<string, number>;
}

interface Meter {
  depth: number;
  since: number;
  stats: BusyStats;
}

const meters = new WeakMap<object, Meter>();

function meterOf(target: object): Meter {
  let meter = meters.get(target);
  if (!meter) {
    meter = { depth: 0, since: 0, stats: { busyMs: 0, calls: {} } };
    meters.set(target, meter);
  }
  return meter;
}

/** The stats of one instance of a measured class. */
export function busyStatsOf(target: object): BusyStats {
  const { stats, depth, since } = meterOf(target);
  const running = depth > 0 ? performance.now() - since : 0;
  return { busyMs: stats.busyMs + running, calls: { ...stats.calls } };
}

/**
 * Wraps every method of `cls`'s prototype except `skip` (the stats readers themselves), and
 * those it inherits from its ancestors up to `upTo` (a subclass measures its parent's methods
 * too: the wrappers go on the subclass, so the parent class stays unmeasured).
 */
export function measureBusyTime(cls: { prototype: object }, skip: readonly string[], upTo: { prototype: object } = cls): void {
  const proto = cls.prototype as Record<string, unknown>;
  const done = new Set<string>();
  for (let from: object | null = cls.prototype; from !== null; from = Object.getPrototypeOf(from)) {
    for (const name of Object.getOwnPropertyNames(from)) {
      if (done.has(name)) continue;
      done.add(name);
      const descriptor = Object.getOwnPropertyDescriptor(from, name);
      if (name === "constructor" || skip.includes(name) || typeof descriptor?.value !== "function") continue;
      proto[name] = measured(name, descriptor.value as (...args: unknown[]) => unknown);
    }
    if (from === upTo.prototype) break;
  }
}

function measured(name: string, method: (...args: unknown[]) => unknown) {
  const wrapper = function (this: object, ...args: unknown[]): unknown {
    const meter = meterOf(this);
    meter.stats.calls[name] = (meter.stats.calls[name] ?? 0) + 1;
    if (meter.depth++ === 0) meter.since = performance.now();
    const leave = () => {
      if (--meter.depth === 0) meter.stats.busyMs += performance.now() - meter.since;
    };
    let result: unknown;
    try {
      result = method.apply(this, args);
    } catch (error) {
      leave();
      throw error;
    }
    // Sync methods stay sync: the object calls some of them internally and uses the value.
    if (result instanceof Promise) return result.finally(leave);
    leave();
    return result;
  };
  Object.defineProperty(wrapper, "name", { value: name });
  return wrapper;
}
