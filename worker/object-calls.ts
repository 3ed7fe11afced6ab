/**
 * Calls from the Worker to the Durable Objects, with the platform's transient failures handled.
 *
 * A call can throw with `retryable` set (the object was reset by a deploy, the connection to it
 * dropped: the call may or may not have run) or `overloaded` set (too many requests queued for
 * that one object). A retryable failure of a call that is safe to repeat is tried again, through
 * a new stub (one that saw its object reset stays broken), after a short jittered pause: at most
 * TRIES calls in all, well under a second. Everything else the platform throws — an overload,
 * which more calls would only worsen, or a retryable failure out of tries or of a call that must
 * not run twice — becomes SQS's throttling error, which every SDK recognises and backs off from
 * on its own, rather than a 500. Errors the object's own code throws are left as they are.
 */
import { SqsErrors } from "../sdk/protocol/index.js";

/** Calls in all, the first included. */
export const TRIES = 3;
/** Upper bound of the pause before the second call; doubles before each later one. */
const FIRST_PAUSE_MS = 40;

interface PlatformFailure {
  retryable?: unknown;
  overloaded?: unknown;
}

const isObject = (error: unknown): error is PlatformFailure => typeof error === "object" && error !== null;

export function isOverloaded(error: unknown): boolean {
  return isObject(error) && error.overloaded === true;
}

export function isRetryable(error: unknown): boolean {
  return isObject(error) && error.retryable === true && !isOverloaded(error);
}

/**
 * Runs `call` (given a fresh stub each time); `repeatable` says a second run after one whose
 * outcome is unknown does no harm (a read, or a write the object recognises as already applied).
 */
export async function callWithRetries<S, T>(open: () => S, call: (stub: S) => Promise<T>, repeatable: boolean): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call(open());
    } catch (error) {
      if (isRetryable(error) && repeatable && attempt < TRIES) {
        await pause(attempt);
        continue;
      }
      if (isRetryable(error) || isOverloaded(error)) {
        throw SqsErrors.requestThrottled(error);
      }
      throw error;
    }
  }
}

/** Full jitter: anywhere up to FIRST_PAUSE_MS, then twice that (under 120 ms in all for 3 tries). */
function pause(attempt: number): Promise<void> {
  const bound = FIRST_PAUSE_MS * 2 ** (attempt - 1);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * bound));
}

/**
 * A stand-in for a stub whose every method call goes through callWithRetries; `repeatable` names
 * the methods safe to run twice. `open` makes a new stub of the same object.
 */
export function retryingStub<S extends object>(open: () => S, repeatable: ReadonlySet<string>): S {
  return new Proxy({} as S, {
    get(_target, name) {
      // Not a thenable, whatever the stub would say.
      if (typeof name !== "string" || name === "then") return undefined;
      return (...args: unknown[]) =>
        callWithRetries(
          open,
          (stub) => (stub as Record<string, (...a: unknown[]) => Promise<unknown>>)[name]!(...args),
          repeatable.has(name),
        );
    },
  });
}
