/**
 * `BENCH_MEMORY=1 npm run bench`: the memory a queue object needs with 1,000,000 messages waiting
 * (reported; the test is that it stays bounded). Fills one queue with SendMessageBatch, then reports what the
 * object's plain-message store holds in memory (segment summaries, cached segments, leases) and
 * the resident memory of the bench's workerd processes before and after. Not part of the
 * default run: the fill takes about two minutes on two cores.
 */
import { readdirSync, readFileSync } from "node:fs";
import { forEachConcurrently } from "./load.mjs";
import { BODY_1KB, createQueue } from "./queues.mjs";

export const MEMORY_MESSAGES = Number(process.env.BENCH_MEMORY_MESSAGES ?? 1_000_000);

/** Resident memory (MB) of every workerd process on the machine: the bench runs three. */
function workerdRssMb() {
  let kb = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("workerd")) continue;
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // the process ended meanwhile
    }
  }
  return Math.round(kb / 1024);
}

export async function measureMemory(env, log) {
  const { sqs } = env.sluice;
  const name = "bench-memory";
  const url = await createQueue(sqs, name);
  const before = workerdRssMb();
  const batches = MEMORY_MESSAGES / 10;
  const body = JSON.stringify({ QueueUrl: url, Entries: Array.from({ length: 10 }, (_, k) => ({ Id: `m${k}`, MessageBody: BODY_1KB })) });
  let sent = 0;
  await forEachConcurrently(batches, 32, async () => {
    const result = await sqs.call("SendMessageBatch", body);
    if (result.Failed?.length) throw new Error(`SendMessageBatch failed: ${JSON.stringify(result.Failed[0])}`);
    if (++sent % 10_000 === 0) log(`memory: ${sent * 10} messages sent`);
  });
  const ns = await env.sluice.mf.getDurableObjectNamespace("QUEUE");
  const stub = ns.get(ns.idFromName(`000000000000/${name}`));
  const stats = await stub.memoryStats();
  // What a wake costs with this backlog: the summaries are rebuilt from every segment's meta.
  const wakeStart = performance.now();
  await stub.simulateRestart();
  const wakeMs = performance.now() - wakeStart;
  return {
    wakeMs,
    messages: Number(stats.messages),
    summaries: Number(stats.summaries),
    cachedSegments: Number(stats.cachedSegments),
    cachedMessages: Number(stats.cachedMessages),
    leases: Number(stats.leases),
    workerdRssMbBefore: before,
    workerdRssMbAfter: workerdRssMb(),
  };
}

export function formatMemory(m) {
  return [
    "",
    `Memory with ${m.messages.toLocaleString("en-US")} messages waiting in one queue (BENCH_MEMORY=1)`,
    `  in memory: ${m.summaries.toLocaleString("en-US")} segment summaries, ${m.cachedSegments} cached segments (bounded at 64) holding ${m.cachedMessages.toLocaleString("en-US")} messages, ${m.leases} leases`,
    `  a wake (simulateRestart: rebuild the summaries from every segment's meta) took ${Math.round(m.wakeMs)} ms`,
    `  workerd resident memory (all three bench Workers, SQLite caches and garbage not yet collected included): ${m.workerdRssMbBefore} MB before the fill, ${m.workerdRssMbAfter} MB after`,
  ].join("\n");
}
