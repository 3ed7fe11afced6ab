/**
 * CPU profiles of workerd isolates over the V8 inspector (the Chrome DevTools Protocol's
 * `Profiler` domain), for the per-object cost of issue 22. Miniflare's `inspectorPort` makes
 * workerd list one inspector target per Worker (`core:user:<name>`); each is one isolate, so a
 * Durable Object class run as a Worker of its own is profiled apart from the Worker that calls it.
 *
 * The WebSocket client is undici's (the HTTP client of the bench, bench/http-client.mjs): Node 20
 * has none built in without a flag, and no dependency is added for it.
 */
import { WebSocket } from "undici";

/**
 * Sampling interval of the profiles, in microseconds (V8's default is 1,000); BENCH_PROFILE_INTERVAL_US
 * sets another, to check that the figures do not depend on it.
 */
export const SAMPLING_INTERVAL_US = Number(process.env.BENCH_PROFILE_INTERVAL_US ?? 200);

/** V8's pseudo-functions: not JavaScript of the isolate. */
const IDLE = "(idle)";
const PROGRAM = "(program)";
const GC = "(garbage collector)";
const ROOT = "(root)";

/** One inspector session on one isolate; `call(method, params)` answers the command's result. */
export async function openInspector(inspectorPort, workerName) {
  const url = `ws://127.0.0.1:${inspectorPort}/${workerName.includes(":") ? workerName : "core:user:" + workerName}`;
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.addEventListener("open", resolve, { once: true });
    socket.addEventListener("error", () => reject(new Error(`inspector ${url}: could not connect`)), { once: true });
  });
  let nextId = 1;
  const pending = new Map();
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data));
    const waiter = message.id !== undefined ? pending.get(message.id) : undefined;
    if (!waiter) return; // events: not asked for
    pending.delete(message.id);
    if (message.error) waiter.reject(new Error(`inspector ${workerName}: ${message.error.message}`));
    else waiter.resolve(message.result);
  });
  socket.addEventListener("close", () => {
    for (const waiter of pending.values()) waiter.reject(new Error(`inspector ${workerName}: closed`));
    pending.clear();
  });
  const call = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });
  await call("Profiler.enable");
  await call("Profiler.setSamplingInterval", { interval: SAMPLING_INTERVAL_US });
  return {
    workerName,
    start: () => call("Profiler.start"),
    stop: async () => (await call("Profiler.stop")).profile,
    close: () => socket.close(),
  };
}

/**
 * What one profile says, in milliseconds of the isolate's thread: JavaScript (with the native
 * calls it makes, such as SQLite: the sampler sees the JS frames that called in), garbage
 * collection, and V8 holding the isolate outside JS ("(program)"). `busyMs` is all three.
 *
 * workerd runs every isolate of the process on one thread, and V8 takes a sample only while its
 * isolate is entered on it; the time from one sample to the next therefore spans whatever else
 * the thread did in between (other isolates, I/O). Each sample stands for one sampling period
 * instead: the period the sampler actually kept, the median gap between consecutive samples that
 * were no more than 3 intervals apart (it runs late on a loaded machine: about 290 µs for 200).
 * `by(keyOf)` sums busy ms per key of each JS sample's stack (frames leaf first).
 */
export function summarizeProfile(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const { samples, timeDeltas } = profile;
  const close = timeDeltas.filter((d) => d > 0 && d <= 3 * SAMPLING_INTERVAL_US).sort((a, b) => a - b);
  const periodMs = (close.length ? close[Math.floor(close.length / 2)] : SAMPLING_INTERVAL_US) / 1000;
  const counts = { js: 0, gc: 0, program: 0, idle: 0 };
  const jsSamples = [];
  for (const id of samples) {
    const name = byId.get(id)?.callFrame.functionName;
    if (name === IDLE) counts.idle++;
    else if (name === PROGRAM || name === ROOT) counts.program++;
    else if (name === GC) counts.gc++;
    else {
      counts.js++;
      jsSamples.push(id);
    }
  }
  const stackOf = (id) => {
    const frames = [];
    for (let at = id; at !== undefined; at = parent.get(at)) frames.push(byId.get(at).callFrame);
    return frames;
  };
  return {
    samples: samples.length,
    periodMs,
    jsMs: counts.js * periodMs,
    gcMs: counts.gc * periodMs,
    programMs: counts.program * periodMs,
    idleMs: counts.idle * periodMs,
    busyMs: (counts.js + counts.gc + counts.program) * periodMs,
    wallMs: (profile.endTime - profile.startTime) / 1000,
    by(keyOf) {
      const sums = new Map();
      for (const id of jsSamples) {
        const key = keyOf(stackOf(id));
        sums.set(key, (sums.get(key) ?? 0) + periodMs);
      }
      return sums;
    },
  };
}
