/**
 * The schedule a retry policy implies ("Amazon SNS message delivery retries"): after a failed
 * first attempt, numNoDelayRetries retries at once, numMinDelayRetries at minDelayTarget, the
 * backoff phase (numRetries less the other three) from minDelayTarget on its first retry to
 * maxDelayTarget on its last, shaped by backoffFunction, then numMaxDelayRetries at
 * maxDelayTarget. AWS adds jitter; these delays are the policy's own, in whole seconds.
 */
import type { RetryPolicy } from "./policy-parts.js";

/** SNS keeps trying an HTTP/HTTPS delivery for at most an hour, whatever the policy says. */
export const MAX_RETRY_WINDOW_SECONDS = 3600;

/**
 * Where retry `i` of `n` in the backoff phase sits between the minimum and maximum delay, 0 to 1.
 * The shapes follow AWS's graph of the four functions: linear steps evenly, arithmetic by growing
 * steps (triangular numbers), geometric by a constant ratio, exponential by doubling steps.
 */
function backoffDelay(policy: RetryPolicy, i: number, n: number): number {
  const { minDelayTarget: low, maxDelayTarget: high } = policy;
  if (n === 1) return low;
  const k = i - 1; // 0 on the first retry, n - 1 on the last
  const last = n - 1;
  switch (policy.backoffFunction) {
    case "linear":
      return low + ((high - low) * k) / last;
    case "arithmetic":
      return low + ((high - low) * k * (k + 1)) / (last * (last + 1));
    case "geometric":
      return low * (high / low) ** (k / last);
    case "exponential":
      return low + ((high - low) * (2 ** k - 1)) / (2 ** last - 1);
  }
}

/**
 * Seconds to wait before each retry, in order: as many entries as retries SNS would make
 * (none when numRetries is 0), ending early where the next retry would start more than an hour
 * of waiting after the first attempt.
 */
export function retryDelays(policy: RetryPolicy): number[] {
  const backoff = policy.numRetries - policy.numNoDelayRetries - policy.numMinDelayRetries - policy.numMaxDelayRetries;
  const delays: number[] = [
    ...Array<number>(policy.numNoDelayRetries).fill(0),
    ...Array<number>(policy.numMinDelayRetries).fill(policy.minDelayTarget),
    ...Array.from({ length: Math.max(backoff, 0) }, (_, index) => Math.round(backoffDelay(policy, index + 1, backoff))),
    ...Array<number>(policy.numMaxDelayRetries).fill(policy.maxDelayTarget),
  ];
  let waited = 0;
  const within: number[] = [];
  for (const delay of delays) {
    waited += delay;
    if (waited > MAX_RETRY_WINDOW_SECONDS) break;
    within.push(delay);
  }
  return within;
}
