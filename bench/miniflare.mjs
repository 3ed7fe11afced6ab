/**
 * Building a Worker the way it is deployed and starting it in a bare Miniflare instance: no
 * wrangler dev in front (design.md section 7: it is 4–6x slower and would be what we measure).
 */
import { execFile } from "node:child_process";
import { mkdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { Miniflare } from "miniflare";

const run = promisify(execFile);

export const REPO_ROOT = new URL("..", import.meta.url).pathname;

/** The offline environment of the npm scripts, repeated so `node bench/run.mjs` also works. */
const OFFLINE_ENV = {
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  XDG_CONFIG_HOME: join(REPO_ROOT, ".wrangler/config"),
};

/** Compatibility settings shared by Sluice's wrangler.toml and the baseline's. */
const COMPATIBILITY = { compatibilityDate: "2026-04-26", compatibilityFlags: ["enable_request_signal"] };
/** Lines of Worker output (console.*, uncaught errors) echoed per Worker; the rest are only counted. */
const MAX_ECHOED_LINES = 20;

/**
 * The source tree to build: the working tree, or with a git ref (BENCH_REF=HEAD) that commit
 * exported into `dir` with `git archive` (sharing node_modules), so work in progress elsewhere
 * in the tree is not what gets measured.
 */
export async function sourceTree(ref, dir) {
  if (!ref) return REPO_ROOT;
  await mkdir(dir, { recursive: true });
  const tar = join(dir, "..", "source.tar");
  await run("git", ["archive", "--format=tar", "-o", tar, ref], { cwd: REPO_ROOT });
  await run("tar", ["-xf", tar, "-C", dir]);
  await symlink(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/**
 * `wrangler deploy --dry-run --outdir <outDir>` for one wrangler config: the same bundle a
 * deploy would upload. Returns the directory holding `index.js`.
 */
export async function buildWorker(configPath, outDir, cwd = REPO_ROOT) {
  const wrangler = join(REPO_ROOT, "node_modules/.bin/wrangler");
  try {
    await run(wrangler, ["deploy", "--dry-run", "--config", configPath, "--outdir", outDir], {
      cwd,
      env: { ...process.env, ...OFFLINE_ENV },
    });
  } catch (error) {
    throw new Error(`building ${configPath} failed:\n${error.stdout ?? ""}${error.stderr ?? ""}`, { cause: error });
  }
  return outDir;
}

/**
 * Echoes the first lines a Worker prints (prefixed with its name) and counts the rest, so a
 * Worker that logs an error per request cannot bury the tables. Returns the counter.
 */
function captureOutput(name) {
  const output = { lines: 0 };
  const handle = (stream) =>
    createInterface({ input: stream }).on("line", (line) => {
      if (++output.lines <= MAX_ECHOED_LINES) process.stderr.write(`[${name}] ${line}\n`);
      else if (output.lines === MAX_ECHOED_LINES + 1) process.stderr.write(`[${name}] (further output counted, not shown)\n`);
    });
  return { output, handleRuntimeStdio: (stdout, stderr) => [stdout, stderr].forEach(handle) };
}

/**
 * Starts a built bundle on 127.0.0.1 with a free port. `durableObjects` maps binding names to
 * SQLite-backed classes; their storage lives under `persistDir` (a temp dir the caller removes).
 * `output.lines` counts what the Worker printed.
 */
export async function startWorker({ name, bundleDir, durableObjects, persistDir }) {
  const { output, handleRuntimeStdio } = captureOutput(name);
  const mf = new Miniflare({
    handleRuntimeStdio,
    modules: true,
    modulesRoot: bundleDir,
    scriptPath: join(bundleDir, "index.js"),
    ...COMPATIBILITY,
    host: "127.0.0.1",
    port: 0,
    durableObjects: Object.fromEntries(
      Object.entries(durableObjects).map(([binding, className]) => [binding, { className, useSQLite: true }]),
    ),
    durableObjectsPersist: persistDir,
  });
  const url = await mf.ready;
  return { mf, origin: url.origin, output };
}

/**
 * A stub of Sluice's queue object, reached over Miniflare's Node-side RPC proxy (no debug route
 * in the product). Its `sqlStats()` returns a proxied object whose fields are read one by one.
 */
export async function queueStats(mf, queueName) {
  const ns = await mf.getDurableObjectNamespace("QUEUE");
  const stub = ns.get(ns.idFromName(`000000000000/${queueName}`));
  const stats = await stub.sqlStats();
  return { rowsRead: Number(stats.rowsRead), rowsWritten: Number(stats.rowsWritten) };
}
