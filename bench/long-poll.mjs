/**
 * Group `longpoll`: what a long poll costs while it waits, and how fast a send wakes
 * it, for this design and the one before it (the RPC wait, built from BENCH_LONGPOLL_REF as a
 * bench-only build with the same busy-time meter: miniflare.mjs `buildWithBusyTime`), measured
 * in the same run on the same machine.
 *
 * - Wake latency: one waiter (WaitTimeSeconds 20) parked for PARK_MS, then one SendMessage; the
 *   time from sending the SendMessage to the ReceiveMessage response (what a producer and a
 *   consumer feel), and from the SendMessage response (as tests/e2e measure it; the poll's answer
 *   often arrives first, then it counts as 0), WAKE_SAMPLES times.
 * - 100 waiters: 100 concurrent polls, then 100 messages in 10 batches; every poll must return
 *   exactly one message and all 100 must be distinct.
 * - Idle queue: 10 consumers (and, for scale, 1) long-poll (20 s) an empty queue for IDLE_SECONDS. The
 *   queue object's `busyStats()` before and after give its requests (RPC calls, fetches,
 *   alarms), WebSocket events and busy time (a handler in progress, measured inside the object,
 *   tests/instrumented/busy-time.ts); the projection scales that window to a 30-day month at
 *   list prices. Each empty poll's duration is checked against 20 s +- 1 s.
 */
import { createQueue } from "./queues.mjs";

export const LONG_POLL_GROUP = "longpoll";
const WAKE_SAMPLES = Number(process.env.BENCH_WAKE_SAMPLES ?? 200);
/** Time a waiter is given to park before the send that wakes it. */
const PARK_MS = 25;
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
/** Consumers of the idle-queue cases: 10, a small fleet, and 1 to show what scales with consumers. */
const IDLE_CONSUMERS = [10, 1];
const POLL_SECONDS = 20;
const WAITERS = 100;
/** A 20-second empty poll must return within this of 20 s. */
const POLL_TOLERANCE_MS = 1_000;

/** List prices (Workers Paid, no free allowance), bench/README.md "Cost model". */
const PRICES = {
  workerRequest: 0.3 / 1e6,
  objectRequest: 0.15 / 1e6,
  /** Incoming WebSocket messages are billed as requests at 20:1 (a close event counted as one). */
  socketEventsPerRequest: 20,
  /** 128 MB as Cloudflare bills it: 0.125 GB x $12.50 per million GB-s. */
  gbSecond: 12.5 / 1e6,
  memoryGb: 0.125,
};
const MONTH_SECONDS = 30 * 24 * 3600;
/** Incoming WebSocket events of the queue object (billed 20:1). */
const SOCKET_EVENTS = ["webSocketMessage", "webSocketClose", "webSocketError"];
/**
 * The queue object's entry points that are billed requests: its RPC methods, fetch and alarm.
 * The meter also counts the methods they call, which are not requests.
 */
const REQUESTS = new Set([
  "create", "exists", "describe", "deleteQueue", "getAttributes", "setAttributes", "purge", "addPermission",
  "removePermission", "tag", "untag", "listTags", "send", "receive", "deleteMessages", "changeVisibility",
  "startMoveTask", "cancelMoveTask", "listMoveTasks", "acceptLetters", "fetch", "alarm",
]);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

/** Requests, socket events and busy ms between two busyStats() readings. */
function delta(before, after) {
  let requests = 0;
  let socketEvents = 0;
  for (const [name, count] of Object.entries(after.calls)) {
    const n = count - (before.calls[name] ?? 0);
    if (SOCKET_EVENTS.includes(name)) socketEvents += n;
    else if (REQUESTS.has(name)) requests += n;
  }
  return { requests, socketEvents, busyMs: after.busyMs - before.busyMs };
}

/** Dollars per month for what a window of `seconds` measured, at list prices. */
export function monthlyCost({ workerRequests, requests, socketEvents, busyMs }, seconds) {
  const scale = MONTH_SECONDS / seconds;
  const worker = workerRequests * scale * PRICES.workerRequest;
  const objectRequests = (requests + socketEvents / PRICES.socketEventsPerRequest) * scale * PRICES.objectRequest;
  const duration = (busyMs / 1000) * scale * PRICES.memoryGb * PRICES.gbSecond;
  return { worker, objectRequests, duration, total: worker + objectRequests + duration };
}

async function wakeLatency(design) {
  const { sqs } = design;
  const url = await createQueue(sqs, "bench-lp-wake");
  const afterSend = [];
  const fromSend = [];
  const sendOnly = [];
  let failures = 0;
  for (let i = 0; i < WAKE_SAMPLES; i++) {
    const poll = sqs
      .call("ReceiveMessage", { QueueUrl: url, WaitTimeSeconds: POLL_SECONDS })
      .then((result) => ({ result, at: performance.now() }));
    await sleep(PARK_MS);
    const sending = performance.now();
    await sqs.call("SendMessage", { QueueUrl: url, MessageBody: `wake ${i}` });
    const sent = performance.now();
    const { result, at } = await poll;
    const message = result.Messages?.[0];
    if (!message) {
      failures++;
      continue;
    }
    afterSend.push(Math.max(0, at - sent));
    fromSend.push(at - sending);
    sendOnly.push(sent - sending);
    await sqs.call("DeleteMessage", { QueueUrl: url, ReceiptHandle: message.ReceiptHandle });
  }
  return {
    samples: afterSend.length,
    failures,
    p50Ms: percentile(fromSend, 50),
    p99Ms: percentile(fromSend, 99),
    afterResponseP50Ms: percentile(afterSend, 50),
    afterResponseP99Ms: percentile(afterSend, 99),
    sendP50Ms: percentile(sendOnly, 50),
  };
}

async function hundredWaiters(design) {
  const { wide: sqs } = design;
  const url = await createQueue(sqs, "bench-lp-hundred");
  const started = performance.now();
  const polls = Array.from({ length: WAITERS }, () =>
    sqs.call("ReceiveMessage", { QueueUrl: url, WaitTimeSeconds: POLL_SECONDS, MaxNumberOfMessages: 1 }),
  );
  await sleep(1_000);
  const sendAt = performance.now();
  const sent = await Promise.all(
    Array.from({ length: WAITERS / 10 }, (_, b) =>
      sqs.call("SendMessageBatch", {
        QueueUrl: url,
        Entries: Array.from({ length: 10 }, (_, k) => ({ Id: `m${k}`, MessageBody: `message ${b * 10 + k}` })),
      }),
    ),
  );
  const results = await Promise.all(polls);
  const lastMs = performance.now() - sendAt;
  const sentIds = new Set(sent.flatMap((r) => r.Successful.map((s) => s.MessageId)));
  const got = results.map((r) => r.Messages ?? []);
  const ids = got.flat().map((m) => m.MessageId);
  const ok = got.every((m) => m.length === 1) && new Set(ids).size === WAITERS && ids.every((id) => sentIds.has(id));
  return { waiters: WAITERS, answered: got.filter((m) => m.length === 1).length, distinct: new Set(ids).size, ok, lastMs, totalMs: performance.now() - started };
}

/** `consumers` consumers polling one empty queue for IDLE_SECONDS. */
async function idleQueue(design, consumers) {
  const { wide: sqs } = design;
  const name = `bench-lp-idle-${consumers}`;
  const url = await createQueue(sqs, name);
  const before = await design.busy(name);
  const started = performance.now();
  const deadline = started + IDLE_SECONDS * 1000;
  const durations = [];
  let nonEmpty = 0;
  const consumer = async () => {
    while (performance.now() + POLL_SECONDS * 1000 <= deadline + POLL_TOLERANCE_MS) {
      const t0 = performance.now();
      const result = await sqs.call("ReceiveMessage", { QueueUrl: url, WaitTimeSeconds: POLL_SECONDS });
      durations.push(performance.now() - t0);
      if (result.Messages?.length) nonEmpty++;
    }
  };
  await Promise.all(Array.from({ length: consumers }, consumer));
  // The closing sockets' last events reach the object a moment after the responses.
  await sleep(300);
  const seconds = (performance.now() - started) / 1000;
  const measured = { workerRequests: durations.length, ...delta(before, await design.busy(name)) };
  const pollOk = durations.every((d) => Math.abs(d - POLL_SECONDS * 1000) <= POLL_TOLERANCE_MS);
  return {
    consumers,
    seconds,
    polls: durations.length,
    nonEmpty,
    pollMinMs: Math.min(...durations),
    pollMaxMs: Math.max(...durations),
    pollOk,
    ...measured,
    busyShare: measured.busyMs / (seconds * 1000),
    monthly: monthlyCost(measured, seconds),
  };
}

/**
 * Measures each design (`{ label, sqs, wide, busy(queueName) }`): wake latency and 100 waiters
 * one design after the other, then the idle queue of all designs at once (same minute).
 */
export async function measureLongPoll(designs, log) {
  const results = designs.map((d) => ({ label: d.label, ref: d.ref }));
  for (const [i, design] of designs.entries()) {
    log(`longpoll (${design.label}): wake latency, ${WAKE_SAMPLES} samples`);
    results[i].wake = await wakeLatency(design);
    log(`longpoll (${design.label}): ${WAITERS} concurrent waiters`);
    results[i].hundred = await hundredWaiters(design);
  }
  log(`longpoll: idle queues, ${IDLE_CONSUMERS.join(" and ")} consumers per design for ${IDLE_SECONDS} s (all at once)`);
  const idle = await Promise.all(designs.map((d) => Promise.all(IDLE_CONSUMERS.map((n) => idleQueue(d, n)))));
  idle.forEach((r, i) => (results[i].idle = r));
  return results;
}

/** Whether the long-poll figures missed a promise: slow wakes, lost or shared messages, polls off 20 s. */
export function longPollProblems(results) {
  const problems = [];
  for (const r of results) {
    if (r.wake.failures) problems.push(`${r.label}: ${r.wake.failures} woken polls returned empty`);
    if (!r.hundred.ok) problems.push(`${r.label}: ${WAITERS} waiters did not get ${WAITERS} distinct messages`);
    for (const idle of r.idle) {
      const where = `${r.label}, ${idle.consumers} consumers`;
      if (!idle.pollOk) problems.push(`${where}: an empty 20 s poll took ${idle.pollMinMs.toFixed(0)}-${idle.pollMaxMs.toFixed(0)} ms`);
      if (idle.nonEmpty) problems.push(`${where}: ${idle.nonEmpty} polls of the empty queue returned messages`);
    }
  }
  return problems;
}

const fixed = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "-");
const dollars = (n) => `$${n < 0.01 ? n.toFixed(4) : n.toFixed(2)}`;

/** The long-poll tables, as printed after the others. */
export function formatLongPoll(results) {
  const lines = ["", "Long polling: wake latency, 100 waiters, and an idle queue with its projected monthly cost"];
  const pad = (cells, widths) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const table = (header, rows) => {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    return [pad(header, widths), pad(widths.map((w) => "-".repeat(w)), widths), ...rows.map((r) => pad(r, widths))].join("\n");
  };
  lines.push(
    table(
      ["design", "wake p50 ms", "wake p99 ms", "SendMessage alone p50", "after response p50/p99", "samples", "100 waiters", "last answered ms"],
      results.map((r) => [
        r.label,
        fixed(r.wake.p50Ms),
        fixed(r.wake.p99Ms),
        fixed(r.wake.sendP50Ms),
        `${fixed(r.wake.afterResponseP50Ms)} / ${fixed(r.wake.afterResponseP99Ms)}`,
        `${r.wake.samples}${r.wake.failures ? ` (${r.wake.failures} empty)` : ""}`,
        `${r.hundred.distinct} distinct${r.hundred.ok ? "" : " FAIL"}`,
        fixed(r.hundred.lastMs, 0),
      ]),
    ),
    "  wake: SendMessage sent -> ReceiveMessage answered, for a poll parked 25 ms before; after response: from the SendMessage response (0 when the poll answered first)",
    "",
    table(
      ["idle queue", "consumers", "seconds", "polls", "20 s poll min-max", "DO requests", "socket events", "busy ms", "busy share", "Workers $/mo", "DO requests $/mo", "duration $/mo", "total $/mo"],
      results.flatMap((r) => r.idle.map((i) => {
        return [
          r.label,
          String(i.consumers),
          fixed(i.seconds, 1),
          String(i.polls),
          `${(i.pollMinMs / 1000).toFixed(2)}-${(i.pollMaxMs / 1000).toFixed(2)} s${i.pollOk ? "" : " FAIL"}`,
          String(i.requests),
          String(i.socketEvents),
          fixed(i.busyMs, 1),
          `${(i.busyShare * 100).toFixed(2)}%`,
          dollars(i.monthly.worker),
          dollars(i.monthly.objectRequests),
          dollars(i.monthly.duration),
          dollars(i.monthly.total),
        ];
      })),
    ),
    "  consumers long-polling (20 s) an empty queue; busy = a handler of the queue object in progress, measured inside it;",
    "  $/mo scales the window to 30 days at list prices: Workers $0.30/M requests, DO $0.15/M requests (WebSocket events 20:1), 0.125 GB x $12.50/M GB-s of busy time",
    "  workerd's clock stands still while a handler runs without I/O, so busy ms can read low; were every DO request and socket event 1 ms, duration would be:",
    ...results.flatMap((r) =>
      r.idle.map((i) => `    ${r.label}, ${i.consumers} consumers: ${dollars(monthlyCost({ workerRequests: 0, requests: 0, socketEvents: 0, busyMs: i.busyMs + i.requests + i.socketEvents }, i.seconds).duration)}/mo`),
    ),
  );
  const problems = longPollProblems(results);
  if (problems.length) lines.push("", "LONG-POLL PROBLEMS (the run exits with status 1)", ...problems.map((p) => `  ${p}`));
  return lines.join("\n");
}
