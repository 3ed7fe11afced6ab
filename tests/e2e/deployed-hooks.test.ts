/**
 * The test and bench hooks live only in the instrumented queue object (tests/instrumented/): the
 * bundle `npm run build` makes (wrangler deploy --dry-run) answers none of them over RPC, while
 * the instrumented Worker does, which shows the calls below can succeed where a hook exists.
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

type Hooked = Record<string, () => Promise<unknown>>;

const dirs: string[] = [];
const workers: Miniflare[] = [];
afterAll(async () => {
  await Promise.allSettled(workers.map((mf) => mf.dispose()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function queueStub(mf: Miniflare): Promise<Hooked> {
  const namespace = await mf.getDurableObjectNamespace("QUEUE");
  return namespace.get(namespace.idFromName(QUEUE)) as unknown as Hooked;
}

describe("test and bench hooks", () => {
  it("are not answered by the deployed bundle's queue object", { timeout: 120_000 }, async () => {
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
      durableObjects: {
        QUEUE: { className: "QueueObject", useSQLite: true },
        REGISTRY: { className: "QueueRegistry", useSQLite: true },
      },
      durableObjectsPersist: join(dir, "state"),
    });
    workers.push(mf);
    await mf.ready;
    const stub = await queueStub(mf);
    for (const hook of HOOKS) {
      await expect(Promise.resolve().then(() => stub[hook]!()), hook).rejects.toThrow();
    }
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
