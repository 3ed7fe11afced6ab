// TEMPORARY profiling script (not committed).
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { Miniflare } from "miniflare";
import WebSocket from "ws";
import { buildWorker, SLUICE_BINDINGS, BENCH_KEY, REPO_ROOT } from "./miniflare.mjs";
import { sqsClient } from "./http-client.mjs";
import { forEachConcurrently } from "./load.mjs";
import { BODY_1KB, createQueue, prefill } from "./queues.mjs";

const mode = process.argv[2] ?? "batch";
const tmp = await mkdtemp(join(tmpdir(), "prof-"));
const dir = await buildWorker(join(REPO_ROOT, "wrangler.toml"), join(tmp, "sluice"), REPO_ROOT);
const mf = new Miniflare({
  modules: true, modulesRoot: dir, scriptPath: join(dir, "index.js"),
  compatibilityDate: "2026-04-26", compatibilityFlags: ["enable_request_signal"],
  host: "127.0.0.1", port: 0, inspectorPort: 9329,
  durableObjects: { QUEUE: { className: "QueueObject", useSQLite: true }, REGISTRY: { className: "QueueRegistry", useSQLite: true } },
  durableObjectsPersist: join(tmp, "state"), bindings: SLUICE_BINDINGS,
});
const url = await mf.ready;
const sqs = sqsClient(url.origin, 32, BENCH_KEY);
const q = await createQueue(sqs, "prof");
const list = await (await fetch("http://127.0.0.1:9329/json/list")).json();
console.error(list.map((t) => t.title + " " + t.webSocketDebuggerUrl));
const target = list[0];
const ws = new WebSocket(target.webSocketDebuggerUrl);
await new Promise((r) => ws.on("open", r));
let id = 0; const pending = new Map();
ws.on("message", (m) => { const msg = JSON.parse(m); if (pending.has(msg.id)) { pending.get(msg.id)(msg.result); pending.delete(msg.id); } });
const send = (method, params = {}) => new Promise((r) => { const i = ++id; pending.set(i, r); ws.send(JSON.stringify({ id: i, method, params })); });
await send("Profiler.enable");
await send("Profiler.setSamplingInterval", { interval: 100 });
const batchBody = JSON.stringify({ QueueUrl: q, Entries: Array.from({ length: 10 }, (_, k) => ({ Id: `m${k}`, MessageBody: BODY_1KB })) });
const single = JSON.stringify({ QueueUrl: q, MessageBody: BODY_1KB });
const work = async () => {
  if (mode === "batch") await sqs.call("SendMessageBatch", batchBody);
  else if (mode === "send") await sqs.call("SendMessage", single);
  else {
    const r = await sqs.call("ReceiveMessage", { QueueUrl: q, MaxNumberOfMessages: 10 });
    await sqs.call("DeleteMessageBatch", { QueueUrl: q, Entries: (r.Messages ?? []).map((m, k) => ({ Id: `d${k}`, ReceiptHandle: m.ReceiptHandle })) });
  }
};
if (mode === "recv") await prefill(sqs, q, 60000);
await forEachConcurrently(500, 32, work);
await send("Profiler.start");
const t = performance.now(); const c0 = process.cpuUsage();
await forEachConcurrently(mode === "recv" ? 3000 : 5000, 32, work);
{ const c = process.cpuUsage(c0); console.error("client cpu share of one core", ((c.user + c.system) / 1000 / (performance.now() - t)).toFixed(2)); }
console.error("ops/s", (mode === "recv" ? 3000 : 5000) / ((performance.now() - t) / 1000));
const { profile } = await send("Profiler.stop");
writeFileSync(`/tmp/prof/${mode}.cpuprofile`, JSON.stringify(profile));
// self time by function
const self = new Map(); const total = profile.samples.length;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const counts = new Map(); for (const s of profile.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
for (const [nid, c] of counts) { const n = byId.get(nid); const k = `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.split("/").pop()}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) ?? 0) + c); }
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([k, c]) => `${(100 * c / total).toFixed(1)}% ${k}`).join("\n"));
ws.close(); await sqs.close(); await mf.dispose();
