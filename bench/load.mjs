/**
 * The load loop: N workers each run one operation after another for a fixed time, timing every
 * operation. Cases that are compared are run in interleaved slices (A B C A B C ...) so that a
 * burst of load from elsewhere on the machine hits all of them alike and cancels out of ratios.
 */
import { EmptyReceiveError } from "./http-client.mjs";

/** How many distinct error messages a result keeps (the count keeps going). */
const MAX_ERROR_SAMPLES = 3;

/** An empty tally: latencies in milliseconds of successful operations, and what went wrong. */
function emptyTally() {
  return { ops: 0, elapsedMs: 0, latencies: [], errors: 0, empty: 0, errorSamples: [] };
}

/**
 * Runs `op(worker)` from `concurrency` workers until `durationMs` has passed (an operation in
 * flight at the deadline is finished and counted). Adds what happened to `tally`. An op may
 * resolve to a function: untimed follow-up work the worker does before its next op.
 */
async function drive(op, concurrency, durationMs, tally) {
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async (index) => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        const followUp = await op(index);
        tally.latencies.push(performance.now() - t0);
        tally.ops++;
        if (typeof followUp === "function") await followUp();
      } catch (error) {
        if (error instanceof EmptyReceiveError) tally.empty++;
        else tally.errors++;
        const message = String(error?.message ?? error);
        if (tally.errorSamples.length < MAX_ERROR_SAMPLES && !tally.errorSamples.includes(message)) {
          tally.errorSamples.push(message);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => worker(i)));
  tally.elapsedMs += performance.now() - started;
}

/** The q-quantile (0..1) of sorted values, nearest-rank. */
function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Operations per second and latency percentiles of a tally. */
function summarize(tally, requestsPerOp) {
  const sorted = Float64Array.from(tally.latencies).sort();
  const opsPerSec = tally.ops / (tally.elapsedMs / 1000);
  return {
    ops: tally.ops,
    seconds: tally.elapsedMs / 1000,
    opsPerSec,
    requestsPerSec: opsPerSec * requestsPerOp,
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
    errors: tally.errors,
    emptyReceives: tally.empty,
    errorSamples: tally.errorSamples,
  };
}

/**
 * Measures several prepared runs side by side. Each run is `{ key, op, concurrency,
 * requestsPerOp, beforeSlice? }`: every run is warmed up once, then the runs take turns in
 * `rounds` slices of `sliceMs` each. `beforeSlice` (untimed) lets a case top its queue up.
 * Returns a summary per key.
 */
export async function measureInterleaved(runs, { warmupMs, rounds, sliceMs }) {
  const tallies = new Map(runs.map((run) => [run.key, emptyTally()]));
  for (const run of runs) {
    await run.beforeSlice?.();
    await drive(run.op, run.concurrency, warmupMs, emptyTally());
  }
  for (let round = 0; round < rounds; round++) {
    for (const run of runs) {
      await run.beforeSlice?.();
      await drive(run.op, run.concurrency, sliceMs, tallies.get(run.key));
    }
  }
  return new Map(runs.map((run) => [run.key, summarize(tallies.get(run.key), run.requestsPerOp ?? 1)]));
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` at a time. */
export async function forEachConcurrently(count, concurrency, task) {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
