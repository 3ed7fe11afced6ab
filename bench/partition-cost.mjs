/**
 * Group `partition-cost` (issue 22): what predicts a partitioned queue's throughput on
 * Cloudflare, where every queue object has a thread of its own, measured on a machine where they
 * all share one.
 *
 * Sluice runs here as three Workers in one Miniflare (one workerd process) built from the one
 * bench bundle: `sluice` (the Worker: HTTP, SigV4, routing), `queues` (the QueueObject class,
 * reached from the others by `scriptName`) and `registry` (the QueueRegistry class). Each Worker
 * is an isolate of its own, so a V8 CPU profile of the `queues` isolate is the queue objects'
 * own work: their JavaScript, the SQLite calls they make (the sampler sees the JS frames that
 * called into SQLite) and their garbage collection, and nothing of the Worker's.
 *
 * Cases, at concurrency 32, on queues of N = 1, 4 and 16 partitions: SendMessage 1 KB,
 * SendMessageBatch 10 x 1 KB, Receive(10)+DeleteMessageBatch, and on high-throughput FIFO queues
 * SendMessage and Receive(10)+DeleteMessageBatch; and two controls at N = 1 with 8 in flight.
 * They run interleaved (every case one slice per round, like load.mjs) with a profile of each
 * isolate around every slice, and
 * report per message: each isolate's CPU, the workerd thread's CPU (/proc), SQLite rows written;
 * per case: throughput, and each partition object's share of the send, receive and delete calls
 * it got (the objects' own call counters, `busyStats().calls`).
 */
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { EmptyReceiveError, sqsClient } from "./http-client.mjs";
import { openInspector, SAMPLING_INTERVAL_US, summarizeProfile } from "./inspector.mjs";
import { measureInterleaved } from "./load.mjs";
import { BENCH_KEY, captureOutput, SLUICE_BINDINGS } from "./miniflare.mjs";
import { BODY_1KB, fifoEntry, prefill } from "./queues.mjs";

export const PARTITION_COST_GROUP = "partition-cost";

const CONCURRENCY = 32;
/**
 * Controls: N = 1 at the requests in flight each object of N = 4 sees at CONCURRENCY (32 / 4).
 * An object's cost per message depends on how many requests share its commits; these tell that
 * apart from any cost of partitioning itself.
 */
const CONTROL_CONCURRENCY = 8;
const CONTROL_KINDS = ["send", "receive"];
/** Partition counts measured; 1 and 4 are compared (the overhead target), 4 and 16 balanced. */
const PARTITION_COUNTS = [1, 4, 16];
/** The isolates profiled: the Worker, the queue objects, the registry, and Miniflare's entry Worker in front of them. */
const ISOLATES = ["sluice", "queues", "registry", "core:entry"];
/**
 * The receive cases keep at least this many messages waiting, and 3x what the last slice took,
 * topping up to twice that between slices, so no receive comes back empty.
 */
const RECEIVE_BACKLOG_MIN = 5_000;
/** Cloudflare's guidance for one Durable Object: about this many requests per second. */
export const OBJECT_REQUESTS_PER_SECOND = 1_000;
/** Targets of issue 22. */
export const TARGETS = { balance: 1.25, overhead: 0.8 };

const KINDS = [
  { kind: "send", title: "SendMessage 1 KB" },
  { kind: "batch", title: "SendMessageBatch 10 x 1 KB" },
  { kind: "receive", title: "Receive(10)+DeleteMessageBatch" },
  { kind: "fifo-send", title: "High-throughput FIFO: SendMessage 1 KB, 1,000 groups", fifo: true },
  { kind: "fifo-receive", title: "High-throughput FIFO: Receive(10)+DeleteMessageBatch, 1,000 groups", fifo: true },
];
/** Message groups of the FIFO cases: sends and the pre-fill go to them in turn. */
const FIFO_GROUPS = 1_000;
/** SQS's high-throughput mode, in which a FIFO queue may have partitions (durable-objects/partitions.md). */
const HIGH_THROUGHPUT_FIFO = { FifoQueue: "true", DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId" };
/** The queue object's entry points (RPC methods, fetch, alarm): calls of them are object requests. */
const ENTRY_POINTS = ["send", "receive", "deleteMessages", "changeVisibility", "fetch", "alarm"];

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Sluice as three Workers (isolates) in one workerd, with the V8 inspector open. */
async function startSplit(bundleDir, persistDir) {
  const inspectorPort = await freePort();
  const common = {
    modules: true,
    modulesRoot: bundleDir,
    scriptPath: join(bundleDir, "index.js"),
    compatibilityDate: "2026-04-26",
    compatibilityFlags: ["enable_request_signal"],
    bindings: SLUICE_BINDINGS,
  };
  const queue = (scriptName) => ({ className: "QueueObject", useSQLite: true, ...(scriptName && { scriptName }) });
  const registry = (scriptName) => ({ className: "QueueRegistry", useSQLite: true, ...(scriptName && { scriptName }) });
  const { output, handleRuntimeStdio } = captureOutput("sluice-split");
  const mf = new Miniflare({
    host: "127.0.0.1",
    port: 0,
    inspectorPort,
    durableObjectsPersist: persistDir,
    handleRuntimeStdio,
    workers: [
      { ...common, name: "sluice", durableObjects: { QUEUE: queue("queues"), REGISTRY: registry("registry") } },
      { ...common, name: "queues", durableObjects: { QUEUE: queue(), REGISTRY: registry("registry") } },
      { ...common, name: "registry", durableObjects: { QUEUE: queue("queues"), REGISTRY: registry() } },
    ],
  });
  const url = await mf.ready;
  return { mf, origin: url.origin, inspectorPort, output };
}

/**
 * CPU ms of a process's main thread (where workerd runs every isolate) and of the whole process,
 * and the ms its main thread waited for a CPU while runnable (schedstat: time other processes
 * on the machine took from it).
 */
function processCpu(pid) {
  const cpuOf = (path) => {
    const fields = readFileSync(path, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10; // USER_HZ = 100
  };
  const [, waitNs] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, "utf8").trim().split(" ").map(Number);
  return { mainMs: cpuOf(`/proc/${pid}/task/${pid}/stat`), allMs: cpuOf(`/proc/${pid}/stat`), waitMs: waitNs / 1e6 };
}

/** The workerd processes that are children of this one (Miniflare starts one per instance). */
function workerdPids() {
  try {
    return childWorkerds();
  } catch {
    return []; // no /proc: the thread's CPU is not reported
  }
}

function childWorkerds() {
  const tasks = readdirSync(`/proc/${process.pid}/task`);
  const children = tasks.flatMap((t) => readFileSync(`/proc/${process.pid}/task/${t}/children`, "utf8").trim().split(/\s+/));
  return children.filter((p) => p && readFileSync(`/proc/${p}/comm`, "utf8").trim() === "workerd").map(Number);
}

const partitionName = (name, k) => `000000000000/${name}${k === 0 ? "" : `#${k}`}`;

/** Calls per entry point and SQLite rows of every partition object of a queue. */
async function objectCounters(mf, name, partitions) {
  const ns = await mf.getDurableObjectNamespace("QUEUE", "queues");
  return Promise.all(
    Array.from({ length: partitions }, async (_, k) => {
      const stub = ns.get(ns.idFromName(partitionName(name, k)));
      const [busy, sql] = [await stub.busyStats(), await stub.sqlStats()];
      const calls = JSON.parse(JSON.stringify(busy.calls));
      return { calls, rowsWritten: Number(sql.rowsWritten), rowsRead: Number(sql.rowsRead) };
    }),
  );
}

/** One case: its queue made and filled, and its op (resolving to the messages it moved). */
async function prepareCase(sqs, { kind, title, fifo }, partitions, concurrency = CONCURRENCY) {
  const control = concurrency !== CONCURRENCY ? `-c${concurrency}` : "";
  const name = `cost-${kind}-${partitions}${control}${fifo ? ".fifo" : ""}`;
  const { QueueUrl: url } = await sqs.call("CreateQueue", {
    QueueName: name,
    Attributes: fifo ? HIGH_THROUGHPUT_FIFO : {},
    tags: { "sluice:partitions": String(partitions) },
  });
  const c = { id: `${kind}-${partitions}${control}`, kind, title, partitions, concurrency, name, fifo: Boolean(fifo) };
  if (kind === "send") {
    const body = JSON.stringify({ QueueUrl: url, MessageBody: BODY_1KB });
    return { ...c, op: async () => (await sqs.call("SendMessage", body), 1) };
  }
  let sent = 0;
  if (kind === "fifo-send") {
    return {
      ...c,
      op: async () => {
        const n = sent++;
        const body = { QueueUrl: url, MessageBody: BODY_1KB, MessageGroupId: `g${n % FIFO_GROUPS}`, MessageDeduplicationId: `s${n}` };
        await sqs.call("SendMessage", JSON.stringify(body));
        return 1;
      },
    };
  }
  if (kind === "batch") {
    const body = JSON.stringify({ QueueUrl: url, Entries: Array.from({ length: 10 }, (_, k) => ({ Id: `m${k}`, MessageBody: BODY_1KB })) });
    return {
      ...c,
      op: async () => {
        const result = await sqs.call("SendMessageBatch", body);
        if (result.Failed?.length) throw new Error(`SendMessageBatch failed: ${JSON.stringify(result.Failed[0])}`);
        return 10;
      },
    };
  }
  let waiting = 0;
  let consumed = 0;
  return {
    ...c,
    async beforeSlice() {
      const low = Math.max(RECEIVE_BACKLOG_MIN, 3 * consumed);
      consumed = 0;
      if (waiting >= low) return;
      const count = 2 * low - waiting;
      const first = sent;
      sent += count;
      await prefill(sqs, url, count, fifo ? (i) => fifoEntry(FIFO_GROUPS)(first + i) : undefined);
      waiting = 2 * low;
    },
    op: async () => {
      const received = await sqs.call("ReceiveMessage", { QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 });
      const messages = received.Messages ?? [];
      if (messages.length === 0) throw new EmptyReceiveError();
      waiting -= messages.length;
      consumed += messages.length;
      const result = await sqs.call("DeleteMessageBatch", {
        QueueUrl: url,
        Entries: messages.map((m, k) => ({ Id: `d${k}`, ReceiptHandle: m.ReceiptHandle })),
      });
      if (result.Failed?.length) throw new Error(`DeleteMessageBatch failed: ${JSON.stringify(result.Failed[0])}`);
      return messages.length;
    },
  };
}

const emptyTally = () => ({
  ops: 0,
  messages: 0,
  seconds: 0,
  errors: 0,
  errorSamples: [],
  cpu: { mainMs: 0, allMs: 0, waitMs: 0 },
  isolates: Object.fromEntries(ISOLATES.map((i) => [i, { busyMs: 0, jsMs: 0, gcMs: 0, programMs: 0, samples: 0 }])),
  calls: [],
  rowsWritten: 0,
  top: new Map(),
});

/**
 * Runs every case for one slice per round, interleaved, with every isolate profiled around each
 * slice; the object counters and /proc CPU are read around the slice too (outside the timing).
 */
export async function measurePartitionCost({ bundleDir, persistDir, config, log, kinds = KINDS.map((k) => k.kind), partitionCounts = PARTITION_COUNTS }) {
  const others = workerdPids();
  const server = await startSplit(bundleDir, persistDir);
  const sqs = sqsClient(server.origin, CONCURRENCY, BENCH_KEY);
  // Its own workerd: the one that was not there before it started (none: /proc is not Linux's).
  const pid = workerdPids().find((p) => !others.includes(p));
  const inspectors = [];
  try {
    for (const isolate of ISOLATES) inspectors.push(await openInspector(server.inspectorPort, isolate));
    const cases = [];
    for (const kind of KINDS.filter((k) => kinds.includes(k.kind))) {
      for (const n of partitionCounts) cases.push(await prepareCase(sqs, kind, n));
      if (CONTROL_KINDS.includes(kind.kind) && partitionCounts.includes(1)) cases.push(await prepareCase(sqs, kind, 1, CONTROL_CONCURRENCY));
    }
    const tallies = new Map(cases.map((c) => [c.id, emptyTally()]));
    const slice = async (c, ms, tally) => {
      await c.beforeSlice?.();
      let messages = 0;
      const run = { key: c.id, concurrency: c.concurrency, op: async () => {
        const moved = await c.op();
        messages += moved;
      },
    };
      if (!tally) return void (await measureInterleaved([run], { warmupMs: 0, rounds: 1, sliceMs: ms }));
      const countersBefore = await objectCounters(server.mf, c.name, c.partitions);
      await Promise.all(inspectors.map((i) => i.start()));
      const cpuBefore = pid ? processCpu(pid) : undefined;
      const summary = (await measureInterleaved([run], { warmupMs: 0, rounds: 1, sliceMs: ms })).get(c.id);
      const cpuAfter = pid ? processCpu(pid) : undefined;
      const profiles = await Promise.all(inspectors.map(async (i) => [i.workerName, summarizeProfile(await i.stop())]));
      const countersAfter = await objectCounters(server.mf, c.name, c.partitions);
      tally.ops += summary.ops;
      tally.messages += messages;
      tally.seconds += summary.seconds;
      tally.errors += summary.errors + summary.emptyReceives;
      tally.errorSamples.push(...summary.errorSamples.filter((e) => !tally.errorSamples.includes(e)).slice(0, 3));
      if (cpuBefore) {
        tally.cpu.mainMs += cpuAfter.mainMs - cpuBefore.mainMs;
        tally.cpu.allMs += cpuAfter.allMs - cpuBefore.allMs;
        tally.cpu.waitMs += cpuAfter.waitMs - cpuBefore.waitMs;
      }
      for (const [isolate, p] of profiles) {
        const t = tally.isolates[isolate];
        for (const key of ["busyMs", "jsMs", "gcMs", "programMs", "samples"]) t[key] += p[key];
        if (isolate === "queues" || isolate === "sluice") {
          for (const [fn, fnMs] of p.by((stack) => `${isolate}: ${stack[0].functionName || "(anonymous)"}:${stack[0].lineNumber}`)) {
            tally.top.set(fn, (tally.top.get(fn) ?? 0) + fnMs);
          }
        }
      }
      countersAfter.forEach((after, k) => {
        const before = countersBefore[k];
        const calls = (tally.calls[k] ??= {});
        for (const method of ENTRY_POINTS) calls[method] = (calls[method] ?? 0) + (after.calls[method] ?? 0) - (before.calls[method] ?? 0);
        tally.rowsWritten += after.rowsWritten - before.rowsWritten;
      });
    };
    log(`${PARTITION_COST_GROUP}: warming up ${cases.length} cases (every partition gets calls)`);
    for (const c of cases) await slice(c, config.warmupMs);
    for (let round = 0; round < config.rounds; round++) {
      log(`${PARTITION_COST_GROUP}: round ${round + 1} of ${config.rounds}`);
      for (const c of cases) await slice(c, config.sliceMs, tallies.get(c.id));
    }
    return {
      concurrency: CONCURRENCY,
      samplingIntervalUs: SAMPLING_INTERVAL_US,
      cases: cases.map((c) => summarizeCase(c, tallies.get(c.id))),
    };
  } finally {
    inspectors.forEach((i) => i.close());
    await sqs.close();
    await server.mf.dispose();
  }
}

/** Per-message and per-op figures of one case, and its partitions' shares of the calls. */
function summarizeCase(c, t) {
  const perMessageUs = (ms) => (t.messages ? (ms * 1000) / t.messages : undefined);
  const perOpUs = (ms) => (t.ops ? (ms * 1000) / t.ops : undefined);
  const objectRequests = t.calls.reduce((sum, calls) => sum + ENTRY_POINTS.reduce((s, m) => s + calls[m], 0), 0);
  const objectUsPerMessage = perMessageUs(t.isolates.queues.busyMs);
  const objectRequestsPerMessage = t.messages ? objectRequests / t.messages : undefined;
  // One object's thread, busy only with this work: messages per second by CPU, and by the
  // request guidance at this many object requests per message.
  const cpuBoundPerSecond = objectUsPerMessage ? 1e6 / objectUsPerMessage : undefined;
  const requestBoundPerSecond = objectRequestsPerMessage ? OBJECT_REQUESTS_PER_SECOND / objectRequestsPerMessage : undefined;
  const shares = {};
  for (const method of ["send", "receive", "deleteMessages"]) {
    const counts = t.calls.map((calls) => calls[method] ?? 0);
    const total = counts.reduce((a, b) => a + b, 0);
    if (total > 0) shares[method] = { busiest: Math.max(...counts) / total, counts };
  }
  return {
    id: c.id,
    kind: c.kind,
    title: c.title,
    partitions: c.partitions,
    concurrency: c.concurrency,
    ops: t.ops,
    messages: t.messages,
    opsPerSec: t.ops / t.seconds,
    messagesPerSec: t.messages / t.seconds,
    errors: t.errors,
    errorSamples: t.errorSamples,
    isolateUsPerMessage: Object.fromEntries(Object.entries(t.isolates).map(([i, v]) => [i, perMessageUs(v.busyMs)])),
    isolateUsPerOp: Object.fromEntries(Object.entries(t.isolates).map(([i, v]) => [i, perOpUs(v.busyMs)])),
    objectGcShare: t.isolates.queues.busyMs ? t.isolates.queues.gcMs / t.isolates.queues.busyMs : undefined,
    workerdMainUsPerOp: perOpUs(t.cpu.mainMs),
    workerdAllUsPerOp: perOpUs(t.cpu.allMs),
    // The share of the measured time workerd's thread ran: below 1, requests waited on something else.
    workerdBusyShare: t.cpu.mainMs / (t.seconds * 1000),
    // The share of it the thread was ready to run but another process had the CPU.
    workerdWaitShare: t.cpu.waitMs / (t.seconds * 1000),
    sampledShareOfMainThread: t.cpu.mainMs ? ISOLATES.reduce((s, i) => s + t.isolates[i].busyMs, 0) / t.cpu.mainMs : undefined,
    objectUsPerMessage,
    objectUsPerRequest: objectRequests ? (t.isolates.queues.busyMs * 1000) / objectRequests : undefined,
    objectRequestsPerMessage,
    objectMessagesPerSecond: cpuBoundPerSecond,
    objectMessagesPerSecondAtGuidance: requestBoundPerSecond && Math.min(cpuBoundPerSecond, requestBoundPerSecond),
    rowsWrittenPerMessage: t.messages ? t.rowsWritten / t.messages : undefined,
    shares,
    top: [...t.top].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([fn, ms]) => [fn, t.ops ? (ms * 1000) / t.ops : 0]),
  };
}
