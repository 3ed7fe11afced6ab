/**
 * Group `emptyreceives` (issue 22): what an empty queue costs its consumers in queue-object
 * requests, counted by the objects themselves (the instrumented queue object's `busyStats()`
 * calls per entry point, tests/instrumented/busy-time.ts), summed over every partition.
 *
 * - Empty receives: RECEIVES sequential ReceiveMessage calls without a wait on an empty
 *   16-partition queue, after WARMUP ones (the first receive of an isolate knows nothing of the
 *   partitions and looks at all of them; the figure is the steady state).
 * - Idle long polls: one consumer long-polling (20 s) an empty queue of 16 partitions and one
 *   of 1, side by side, for IDLE_POLLS polls each; object requests per consumer per 20 s.
 */
import { createQueue } from "./queues.mjs";
import { queueBusy } from "./miniflare.mjs";

export const EMPTY_RECEIVES_GROUP = "emptyreceives";
const RECEIVES = Number(process.env.BENCH_EMPTY_RECEIVES ?? 200);
const WARMUP = 5;
const IDLE_POLLS = Number(process.env.BENCH_IDLE_POLLS ?? 2);
const POLL_SECONDS = 20;
const PARTITION_TAG = "sluice:partitions";

/**
 * The queue object's entry points that are billed requests (RPC methods, fetch, alarm); the
 * meter also counts the private methods they call, which are not. Names a tree does not have
 * count nothing.
 */
const REQUESTS = new Set([
  "create", "exists", "describe", "deleteQueue", "getAttributes", "setAttributes", "purge", "addPermission",
  "removePermission", "tag", "untag", "listTags", "send", "receive", "deleteMessages", "changeVisibility",
  "startMoveTask", "cancelMoveTask", "listMoveTasks", "acceptLetters", "fetch", "alarm", "peek", "minuteSamples",
  "partitionCount", "setPartitionCount", "hasMessages", "resumeNotices",
]);

/** Object requests per entry point, summed over a queue's `partitions` objects. */
async function requestsOf(mf, name, partitions) {
  const all = await Promise.all(
    Array.from({ length: partitions }, (_, k) => queueBusy(mf, k === 0 ? name : `${name}#${k}`)),
  );
  const calls = {};
  for (const stats of all) {
    for (const [method, n] of Object.entries(stats.calls)) if (REQUESTS.has(method)) calls[method] = (calls[method] ?? 0) + n;
  }
  return calls;
}

function delta(before, after) {
  const calls = {};
  let total = 0;
  for (const [method, n] of Object.entries(after)) {
    const d = n - (before[method] ?? 0);
    if (d > 0) (calls[method] = d), (total += d);
  }
  return { total, calls };
}

async function partitionedQueue(sqs, name, partitions) {
  const tags = partitions > 1 ? { [PARTITION_TAG]: String(partitions) } : undefined;
  const { QueueUrl } = await sqs.call("CreateQueue", { QueueName: name, ...(tags ? { tags } : {}) });
  return QueueUrl;
}

async function emptyReceives(sluice, partitions) {
  const name = `bench-empty-${partitions}`;
  const url = await partitionedQueue(sluice.sqs, name, partitions);
  for (let i = 0; i < WARMUP; i++) await sluice.sqs.call("ReceiveMessage", { QueueUrl: url, WaitTimeSeconds: 0 });
  const before = await requestsOf(sluice.mf, name, partitions);
  let nonEmpty = 0;
  for (let i = 0; i < RECEIVES; i++) {
    const result = await sluice.sqs.call("ReceiveMessage", { QueueUrl: url, WaitTimeSeconds: 0 });
    if (result.Messages?.length) nonEmpty++;
  }
  const { total, calls } = delta(before, await requestsOf(sluice.mf, name, partitions));
  return { partitions, receives: RECEIVES, nonEmpty, requests: total, perReceive: total / RECEIVES, calls };
}

async function idleLongPolls(sluice, partitions) {
  const name = `bench-idle-poll-${partitions}`;
  const url = await partitionedQueue(sluice.sqs, name, partitions);
  // One short receive first, so the count and hints an isolate learns once are not in the figure.
  await sluice.sqs.call("ReceiveMessage", { QueueUrl: url, WaitTimeSeconds: 0 });
  const before = await requestsOf(sluice.mf, name, partitions);
  const started = performance.now();
  let nonEmpty = 0;
  for (let i = 0; i < IDLE_POLLS; i++) {
    const result = await sluice.sqs.call("ReceiveMessage", { QueueUrl: url, WaitTimeSeconds: POLL_SECONDS });
    if (result.Messages?.length) nonEmpty++;
  }
  const seconds = (performance.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 300));
  const { total, calls } = delta(before, await requestsOf(sluice.mf, name, partitions));
  return { partitions, polls: IDLE_POLLS, seconds, nonEmpty, requests: total, per20s: (total / seconds) * POLL_SECONDS, calls };
}

/** Both measurements on this tree's Sluice (`env.sluice`: its Miniflare and client). */
export async function measureEmptyReceives(env, log) {
  log(`emptyreceives: ${RECEIVES} empty receives on a 16-partition queue`);
  const receives = [await emptyReceives(env.sluice, 16), await emptyReceives(env.sluice, 1)];
  log(`emptyreceives: ${IDLE_POLLS} idle 20 s long polls on a 16- and a 1-partition queue, side by side`);
  const polls = await Promise.all([idleLongPolls(env.sluice, 16), idleLongPolls(env.sluice, 1)]);
  return { receives, polls };
}

export function emptyReceivesProblems(result) {
  const problems = [];
  for (const r of [...result.receives, ...result.polls]) {
    if (r.nonEmpty) problems.push(`N = ${r.partitions}: ${r.nonEmpty} receives of an empty queue returned messages`);
  }
  return problems;
}

const list = (calls) => Object.entries(calls).map(([m, n]) => `${m} ${n}`).join(", ");

export function formatEmptyReceives(result) {
  return [
    "",
    "Empty receives (issue 22): queue-object requests, summed over partitions (targets: <= 2 per empty receive at N = 16; per idle long-polling consumer per 20 s <= 3 at N = 16, 1 at N = 1)",
    ...result.receives.map(
      (r) => `  empty ReceiveMessage, N = ${r.partitions}: ${r.perReceive.toFixed(2)} requests each (${r.requests} for ${r.receives}: ${list(r.calls)})`,
    ),
    ...result.polls.map(
      (r) => `  idle long poll, N = ${r.partitions}: ${r.per20s.toFixed(2)} requests per 20 s (${r.requests} in ${r.seconds.toFixed(1)} s, ${r.polls} polls: ${list(r.calls)})`,
    ),
    ...emptyReceivesProblems(result).map((p) => `  PROBLEM: ${p}`),
  ].join("\n");
}
