/**
 * Retries with exponential backoff and full jitter ("Exponential Backoff And Jitter", AWS
 * Architecture Blog): attempt n waits a uniform random time in [0, min(cap, base * 2^(n-1))].
 * Full jitter spreads a herd of throttled clients better than any fixed schedule.
 */
import { SluiceError } from "./errors.js";

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export function backoffDelayMs(attempt: number, policy: RetryPolicy, random = Math.random): number {
  return random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, or attempts run out.
 * Only `SluiceError`s with `retryable` set are retried: 4xx answers never are, and an abort
 * ends everything at once.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
  attempt: () => Promise<T>,
): Promise<T> {
  for (let n = 1; ; n++) {
    signal?.throwIfAborted();
    try {
      return await attempt();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (!(error instanceof SluiceError) || !error.retryable || n >= policy.maxAttempts) throw error;
      await sleep(backoffDelayMs(n, policy), signal);
    }
  }
}
