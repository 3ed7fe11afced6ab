/**
 * The test and bench hooks live only in test-only modules (tests/instrumented/): the bundle
 * `npm run build` makes (wrangler deploy --dry-run) answers none of them, on any of its Durable
 * Object classes (queues, registries, topics, the signing key) over RPC, nor the SNS signing
 * routes of sns-hooks-worker.ts over HTTP; the instrumented Workers do, which shows the calls
 * below can succeed where a hook exists. Each deployed class answers one of its own methods,
 * so a refused hook is not a dead binding.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Miniflare } from "miniflare";
import { afterAll, describe, expect, it } from "vitest";
import { startTestWorker } from "./test-worker.js";

const run = promisify(execFile);
/** Every hook the tests and the bench use; `leaseCheckpointMs` is a setter, called like the rest. */
const HOOKS = ["simulateRestart", "leaseCheckpointMs", "faultAfterCopy", "sqlStats", "memoryStats", "busyStats", "measureBusyTime"];
const QUEUE = "000000000000/hooks-probe";
/** The bindings of every Durable Object class the Worker exports (wrangler.toml). */
const CLASSES = { QUEUE: "QueueObject", REGISTRY: "QueueRegistry", TOPIC: "TopicObject", SIGNING: "SigningKeyObject" } as const;
/** The test-only routes of tests/instrumented/sns-hooks-worker.ts, and a body each accepts there. */
const SNS_HOOK_ROUTES = {
  "/__test/sns/sign": {
    fields: { Type: "Notification", MessageId: "m", TopicArn: "arn:aws:sns:us-east-1:000000000000:t", Message: "x", Timestamp: "2026-01-01T00:00:00.000Z" },
    signatureVersion: "1",
  },
  "/__test/sns/confirm": {
    endpoint: "http://127.0.0.1:9/",
    type: "SubscriptionConfirmation",
    topicArn: "arn:aws:sns:us-east-1:000000000000:t",
    token: "t",
    signatureVersion: "1",
    timeoutMs: 500,
  },
};

type Hooked = Record<string, (...args: unknown[]) => Promise<unknown>>;

const dirs: string[] = [];
const workers: Miniflare[] = [];
afterAll(async () => {
  await Promise.allSettled(workers.map((mf) => mf.dispose()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function stubOf(mf: Miniflare, binding: keyof typeof CLASSES, name: string): Promise<Hooked> {
  const namespace = await mf.getDurableObjectNamespace(binding);
  return namespace.get(namespace.idFromName(name)) as unknown as Hooked;
}

const queueStub = (mf: Miniflare) => stubOf(mf, "QUEUE", QUEUE);

async function postHook(mf: Miniflare, path: keyof typeof SNS_HOOK_ROUTES): Promise<{ status: number; text: string }> {
  const response = await mf.dispatchFetch(`http://localhost${path}`, { method: "POST", body: JSON.stringify(SNS_HOOK_ROUTES[path]) });
  return { status: response.status, text: await response.text() };
}

describe("test and bench hooks", () => {
  it("are not answered by the deployed bundle's objects or routes", { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "sluice-deployed-"));
    dirs.push(dir);
    const out = join(dir, "dist");
    await run("node_modules/.bin/wrangler", ["deploy", "--dry-run", "--outdir", out], {
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: "false",
        WRANGLER_SEND_ERROR_REPORTS: "false",
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        XDG_CONFIG_HOME: ".wrangler/config",
      },
    });
    const mf = new Miniflare({
      modules: true,
      modulesRoot: out,
      scriptPath: join(out, "index.js"),
      compatibilityDate: "2026-04-26",
      compatibilityFlags: ["enable_request_signal"],
      durableObjects: Object.fromEntries(Object.entries(CLASSES).map(([binding, className]) => [binding, { className, useSQLite: true }])),
      durableObjectsPersist: join(dir, "state"),
    });
    workers.push(mf);
    await mf.ready;
    const stubs = {
      QUEUE: await queueStub(mf),
      REGISTRY: await stubOf(mf, "REGISTRY", "registry/000000000000"),
      TOPIC: await stubOf(mf, "TOPIC", "000000000000/hooks-probe"),
      SIGNING: await stubOf(mf, "SIGNING", "deployment"),
    };
    // Live objects of the deployed classes: their own methods answer.
    expect(await stubs.QUEUE.partitionCount!()).toHaveProperty("ok");
    expect(Number(await stubs.REGISTRY.partitions!("hooks-probe"))).toBe(1);
    expect(await stubs.TOPIC.exists!()).toMatchObject({ ok: false });
    expect(await stubs.SIGNING.signingKey!()).toHaveProperty("certificate");
    for (const [binding, stub] of Object.entries(stubs)) {
      for (const hook of HOOKS) {
        await expect(Promise.resolve().then(() => stub[hook]!()), `${binding}.${hook}`).rejects.toThrow();
      }
    }
    for (const path of Object.keys(SNS_HOOK_ROUTES) as (keyof typeof SNS_HOOK_ROUTES)[]) {
      const answer = await postHook(mf, path);
      expect(answer.status, `${path}: ${answer.text}`).toBeGreaterThanOrEqual(400);
      expect(answer.status, `${path}: ${answer.text}`).toBeLessThan(500);
      expect(answer.text).not.toContain("Signature");
    }
  });

  it("has SNS signing routes only in the SNS hooks Worker the signing tests run", { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "sluice-sns-hooks-"));
    dirs.push(dir);
    const mf = await startTestWorker(dir, { entry: "tests/instrumented/sns-hooks-worker.ts" });
    workers.push(mf);
    const signed = await postHook(mf, "/__test/sns/sign");
    expect(signed.status).toBe(200);
    expect(JSON.parse(signed.text)).toHaveProperty("Signature");
    const confirmed = await postHook(mf, "/__test/sns/confirm");
    expect(confirmed.status).toBe(200);
    expect(JSON.parse(confirmed.text)).toMatchObject({ ok: false, retryable: true });
  });

  it("are answered by the instrumented Worker the unit tests and the bench run", { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "sluice-instrumented-"));
    dirs.push(dir);
    const mf = await startTestWorker(dir, { entry: "tests/instrumented/worker.ts" });
    workers.push(mf);
    const stub = await queueStub(mf);
    const stats = (await stub.sqlStats!()) as { rowsWritten: number };
    expect(Number(stats.rowsWritten)).toBeGreaterThanOrEqual(0);
    const busy = (await stub.busyStats!()) as { busyMs: number };
    expect(Number(busy.busyMs)).toBeGreaterThanOrEqual(0);
    const memory = (await stub.memoryStats!()) as { messages: number };
    expect(Number(memory.messages)).toBe(0);
    await expect(stub.simulateRestart!()).resolves.toBeUndefined();
  });
});
