/**
 * `npm run bench`: builds Sluice, the baseline Worker and the bench-only Sluice without signature
 * verification, starts each in a bare Miniflare on 127.0.0.1, measures every case in cases.mjs
 * against the baseline taken in the same run, counts SQLite rows per message, prints the tables
 * and writes bench/results/latest.json.
 *
 * Environment: BENCH_REF=<git ref> measures that commit instead of the working tree; timing
 * knobs BENCH_WARMUP_MS (1000), BENCH_SLICE_MS (1000), BENCH_ROUNDS (5) and
 * BENCH_LATENCY_ROUNDS (3, for the latency-only groups: backlog and FIFO); BENCH_GROUPS=auth,fifo
 * measures only those groups of cases (the rows per message are always counted). Group
 * `longpoll` (long-poll.mjs) also builds the design before it from BENCH_LONGPOLL_REF; group
 * `emptyreceives` (empty-receives.mjs) counts object requests of empty receives and idle long polls;
 * group `topics` (topics.mjs) measures Publish, fan-out latency and rows per delivered copy;
 * group `partition-cost` (partition-cost.mjs) runs Sluice's bundle again, its queue objects in an
 * isolate of their own, and profiles them.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { CASES } from "./cases.mjs";
import { formatLongPoll, LONG_POLL_GROUP, longPollProblems, measureLongPoll } from "./long-poll.mjs";
import { EMPTY_RECEIVES_GROUP, emptyReceivesProblems, formatEmptyReceives, measureEmptyReceives } from "./empty-receives.mjs";
import { formatTopics, measureTopics, TOPICS_GROUP, topicsProblems } from "./topics.mjs";
import { sqsClient } from "./http-client.mjs";
import { measureInterleaved } from "./load.mjs";
import {
  BENCH_KEY,
  buildWithBusyTime,
  buildSluice,
  buildWithoutAuth,
  buildWorker,
  queueBusy,
  queueStats,
  REPO_ROOT,
  SLUICE_BINDINGS,
  sourceTree,
  startWorker,
} from "./miniflare.mjs";
import { addRatios, formatReport, hasProblems } from "./report.mjs";
import { formatMemory, measureMemory } from "./memory.mjs";
import { measurePartitionCost, PARTITION_COST_GROUP } from "./partition-cost.mjs";
import { formatPartitionCost, partitionCostProblems } from "./partition-cost-report.mjs";
import { measureRows } from "./rows.mjs";

const CONFIG = {
  warmupMs: Number(process.env.BENCH_WARMUP_MS ?? 1000),
  sliceMs: Number(process.env.BENCH_SLICE_MS ?? 1000),
  rounds: Number(process.env.BENCH_ROUNDS ?? 5),
  latencyRounds: Number(process.env.BENCH_LATENCY_ROUNDS ?? 3),
};
/** BENCH_GROUPS: a comma-separated list of the case groups to measure (default: all). */
const ONLY_GROUPS = process.env.BENCH_GROUPS ? process.env.BENCH_GROUPS.split(",").map((g) => g.trim()) : undefined;
/** Connections per Worker: enough for the highest concurrency of any case. */
const MAX_CONNECTIONS = Math.max(...CASES.flatMap((c) => c.concurrency));
const REF = process.env.BENCH_REF || undefined;
/** The last commit of the long-poll RPC wait (the design before the Worker-side wait), measured beside this tree's. */
const LONG_POLL_REF = process.env.BENCH_LONGPOLL_REF || "dcbcad8";
const withLongPoll = !ONLY_GROUPS || ONLY_GROUPS.includes(LONG_POLL_GROUP);
const withPartitionCost = !ONLY_GROUPS || ONLY_GROUPS.includes(PARTITION_COST_GROUP);
const withEmptyReceives = !ONLY_GROUPS || ONLY_GROUPS.includes(EMPTY_RECEIVES_GROUP);
const withTopics = !ONLY_GROUPS || ONLY_GROUPS.includes(TOPICS_GROUP);
/** Connections of the long-poll clients: 100 waiters plus the sends that wake them. */
const WIDE_CONNECTIONS = 128;
const RESULTS_FILE = join(REPO_ROOT, "bench/results/latest.json");

const T0 = performance.now();
const log = (message) => process.stderr.write(`[bench ${((performance.now() - T0) / 1000).toFixed(1)}s] ${message}\n`);

/** What was measured: the commit, "+dirty" when the working tree had uncommitted changes. */
function commit() {
  const git = (...args) => execFileSync("git", args, { cwd: REPO_ROOT, encoding: "utf8" }).trim();
  try {
    if (REF) return `${git("rev-parse", "--short", REF)} (${REF})`;
    return `${git("rev-parse", "--short", "HEAD")}${git("status", "--porcelain") ? "+dirty" : ""} (working tree)`;
  } catch {
    return "unknown";
  }
}

/** Builds and starts the three Workers; returns the `env` the cases receive and a cleanup. */
async function start(tmp) {
  log(`building Sluice (${REF ?? "working tree"}) and the baseline (wrangler deploy --dry-run), and Sluice without verification (esbuild, bench only)`);
  const source = await sourceTree(REF, join(tmp, "source"));
  const [sluiceDir, baselineDir, noAuthDir] = await Promise.all([
    buildSluice(source, join(tmp, "sluice")),
    buildWorker(join(REPO_ROOT, "bench/baseline/wrangler.toml"), join(tmp, "baseline")),
    buildWithoutAuth(source, join(tmp, "sluice-no-auth")),
  ]);
  const sluiceObjects = { QUEUE: "QueueObject", REGISTRY: "QueueRegistry" };
  // Topics where the tree has them, with the instrumented topic object the topics group reads.
  const withTopicObjects = existsSync(join(source, "tests/instrumented/topic-object.ts"));
  const sluiceAndTopics = withTopicObjects ? { ...sluiceObjects, TOPIC: "TopicObject", SIGNING: "SigningKeyObject" } : sluiceObjects;
  const sluice = await startWorker({
    name: "sluice",
    bundleDir: sluiceDir,
    durableObjects: sluiceAndTopics,
    persistDir: join(tmp, "sluice-state"),
    bindings: SLUICE_BINDINGS,
  });
  const noAuth = await startWorker({
    name: "sluice-no-auth",
    bundleDir: noAuthDir,
    durableObjects: sluiceAndTopics,
    persistDir: join(tmp, "sluice-no-auth-state"),
    bindings: SLUICE_BINDINGS,
  });
  const baseline = await startWorker({
    name: "baseline",
    bundleDir: baselineDir,
    durableObjects: { EMPTY: "EmptyObject" },
    persistDir: join(tmp, "baseline-state"),
  });
  log(`Sluice on ${sluice.origin}, baseline on ${baseline.origin}, Sluice without verification on ${noAuth.origin}`);
  const client = (origin) => sqsClient(origin, MAX_CONNECTIONS, BENCH_KEY);
  const env = {
    sluice: { ...sluice, sqs: client(sluice.origin) },
    baseline: { ...baseline, sqs: client(baseline.origin) },
    noAuth: { ...noAuth, sqs: client(noAuth.origin) },
    stats: (queueName) => queueStats(sluice.mf, queueName),
    sluiceBundle: sluiceDir,
    withTopicObjects,
  };
  const servers = [sluice, baseline, noAuth];
  const clients = [env.sluice.sqs, env.baseline.sqs, env.noAuth.sqs];
  if (withLongPoll) {
    log(`building the long poll before this design (${LONG_POLL_REF}, bench-only build with the busy-time meter)`);
    const beforeSource = await sourceTree(LONG_POLL_REF, join(tmp, "before-source"));
    const before = await startWorker({
      name: "sluice-before",
      bundleDir: await buildWithBusyTime(beforeSource, join(tmp, "sluice-before")),
      durableObjects: sluiceObjects,
      persistDir: join(tmp, "sluice-before-state"),
      bindings: SLUICE_BINDINGS,
    });
    const wide = (worker) => sqsClient(worker.origin, WIDE_CONNECTIONS, BENCH_KEY);
    env.longPoll = [
      { label: `before (${LONG_POLL_REF}, RPC wait)`, worker: before, sqs: client(before.origin), wide: wide(before), busy: (q) => queueBusy(before.mf, q) },
      { label: `this tree (${REF ?? "working tree"})`, worker: sluice, sqs: env.sluice.sqs, wide: wide(sluice), busy: (q) => queueBusy(sluice.mf, q) },
    ];
    servers.push(before);
    clients.push(env.longPoll[0].sqs, ...env.longPoll.map((d) => d.wide));
  }
  env.servers = servers;
  const stop = async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await Promise.allSettled(servers.map((w) => w.mf.dispose()));
  };
  return { env, stop };
}

/** Measures every group of cases at every concurrency, each group interleaved. */
async function measureCases(env) {
  const results = [];
  const groups = [...new Set(CASES.map((c) => c.group))].filter((g) => !ONLY_GROUPS || ONLY_GROUPS.includes(g));
  for (const group of groups) {
    const inGroup = CASES.filter((c) => c.group === group);
    const levels = [...new Set(inGroup.flatMap((c) => c.concurrency))].sort((a, b) => a - b);
    for (const concurrency of levels) {
      const cases = inGroup.filter((c) => c.concurrency.includes(concurrency));
      log(`${group} at concurrency ${concurrency}: preparing ${cases.map((c) => c.id).join(", ")}`);
      const prepared = [];
      for (const c of cases) {
        try {
          prepared.push({ c, run: await c.prepare(env, concurrency) });
        } catch (error) {
          log(`${c.id} could not be prepared: ${error.message}`);
          results.push({ id: c.id, title: c.title, group, concurrency, failed: error.message });
        }
      }
      // Latency-only groups (a queue held at a backlog) take fewer slices: their pre-fill is
      // what costs time, and ~1,000+ cycles per case are enough for a p99.
      const latencyOnly = cases.every((c) => c.latencyOnly);
      const config = latencyOnly ? { ...CONFIG, rounds: CONFIG.latencyRounds } : CONFIG;
      log(`${group} at concurrency ${concurrency}: measuring (${config.rounds} rounds)`);
      const summaries = await measureInterleaved(
        prepared.map(({ c, run }) => ({ key: c.id, concurrency, requestsPerOp: c.requestsPerOp, ...run })),
        config,
      );
      for (const { c, run } of prepared) {
        results.push({
          id: c.id,
          title: c.title,
          group,
          concurrency,
          compareTo: c.compareTo,
          targetRatio: c.targetRatio,
          targetGates: c.targetGates !== false,
          latencyOnly: Boolean(c.latencyOnly),
          messagesPerOp: c.messagesPerOp ?? 1,
          throughputTarget: c.throughputTarget?.[concurrency],
          ...summaries.get(c.id),
          ...(await run.finish?.()),
        });
      }
    }
  }
  return addRatios(results);
}

async function main() {
  const meta = { commit: commit(), node: process.versions.node, cpus: cpus().length, loadBefore: loadavg()[0].toFixed(2) };
  const tmp = await mkdtemp(join(tmpdir(), "sluice-bench-"));
  let stop = async () => {};
  try {
    const running = await start(tmp);
    stop = running.stop;
    const results = await measureCases(running.env);
    const longPoll = withLongPoll ? await measureLongPoll(running.env.longPoll, log) : undefined;
    const emptyReceives = withEmptyReceives ? await measureEmptyReceives(running.env, log) : undefined;
    if (withTopics && !running.env.withTopicObjects) log("topics: this tree has no instrumented topic object; group skipped");
    const topics = withTopics && running.env.withTopicObjects ? await measureTopics(running.env, CONFIG, log) : undefined;
    const partitionCost = withPartitionCost
      ? await measurePartitionCost({ bundleDir: running.env.sluiceBundle, persistDir: join(tmp, "partition-cost-state"), config: CONFIG, log })
      : undefined;
    log("counting SQLite rows per message");
    const rows = await measureRows(running.env);
    const memory = process.env.BENCH_MEMORY === "1" ? await measureMemory(running.env, log) : undefined;
    meta.workerOutputLines = running.env.servers.reduce((n, w) => n + w.output.lines, 0);
    meta.loadAfter = loadavg()[0].toFixed(2);
    meta.seconds = ((performance.now() - T0) / 1000).toFixed(0);
    const report = {
      meta: { ...meta, date: new Date().toISOString() },
      config: CONFIG,
      results,
      rows,
      memory,
      longPoll,
      emptyReceives,
      partitionCost,
      topics,
    };
    await mkdir(join(REPO_ROOT, "bench/results"), { recursive: true });
    await writeFile(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
    console.log(formatReport(report));
    if (memory) console.log(formatMemory(memory));
    if (longPoll) console.log(formatLongPoll(longPoll));
    if (emptyReceives) console.log(formatEmptyReceives(emptyReceives));
    if (partitionCost) console.log(formatPartitionCost(partitionCost));
    if (topics) console.log(formatTopics(topics));
    log(`wrote ${RESULTS_FILE}`);
    if (hasProblems(report) || (longPoll && longPollProblems(longPoll).length > 0) ||
      (emptyReceives && emptyReceivesProblems(emptyReceives).length > 0) ||
      (topics && topicsProblems(topics).length > 0)) process.exitCode = 1;
    if (partitionCost && partitionCostProblems(partitionCost).length > 0) process.exitCode = 1;
  } finally {
    await stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
