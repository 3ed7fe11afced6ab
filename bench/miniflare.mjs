/**
 * Building a Worker the way it is deployed and starting it in a bare Miniflare instance: no
 * wrangler dev in front (it is 4–6x slower than the Worker, so it would be what we measure).
 * Also the one bench-only build that is not deployable: Sluice without signature verification
 * (`buildWithoutAuth`), the reference that the cost of verification is measured against.
 */
import { execFile } from "node:child_process";
import { access, mkdir, symlink } from "node:fs/promises";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { build } from "esbuild";
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
 * The access key the bench signs with, bound as Sluice's SLUICE_CREDENTIALS as a deployment's
 * secret would be (not SLUICE_LOCAL_DEV's fallback pair). Its account is the one `queueStats`
 * addresses queues in.
 */
export const BENCH_KEY = { accessKeyId: "AKIDBENCH", secretAccessKey: "bench-secret", accountId: "000000000000" };

/** The bindings every Sluice build gets in the bench. */
export const SLUICE_BINDINGS = {
  SLUICE_CREDENTIALS: JSON.stringify({
    [BENCH_KEY.accessKeyId]: { secretAccessKey: BENCH_KEY.secretAccessKey, accountId: BENCH_KEY.accountId },
  }),
};

/** Sluice's entry point (wrangler.toml `main`) and the module the bench-only build replaces. */
const SLUICE_MAIN = "worker/index.ts";
/**
 * The Worker with the instrumented queue object (sqlStats, busyStats, memoryStats,
 * simulateRestart), which the bench reads; the deployed bundle answers none of them. Commits
 * from before it had those hooks on the deployed class, and are built from SLUICE_MAIN.
 */
/** Where it is now, and where a few commits of its first week kept it. */
const INSTRUMENTED_MAINS = ["tests/instrumented/worker.ts", "instrumented/worker.ts"];

/** The entry point the bench builds Sluice from: the instrumented Worker where the tree has one. */
export async function benchEntry(sourceRoot) {
  for (const entry of INSTRUMENTED_MAINS) {
    try {
      await access(join(sourceRoot, entry));
      return entry;
    } catch {
      // not in this tree
    }
  }
  return SLUICE_MAIN;
}

/**
 * BENCH ONLY: Sluice bundled with esbuild as `wrangler deploy --dry-run` bundles it (the options
 * below), from the instrumented Worker when the tree has one, so the bench can read its queue
 * objects' counters; an older tree (its hooks on the deployed class) is built by wrangler itself.
 */
export async function buildSluice(sourceRoot, outDir) {
  const entry = await benchEntry(sourceRoot);
  if (entry === SLUICE_MAIN) return buildWorker(join(sourceRoot, "wrangler.toml"), outDir, sourceRoot);
  await build({ ...WRANGLER_LIKE, entryPoints: [join(sourceRoot, entry)], absWorkingDir: sourceRoot, outdir: outDir });
  return outDir;
}
const AUTHENTICATE_MODULE = "worker/auth/authenticate";
const NO_AUTH_STUB = join(REPO_ROOT, "bench/no-auth.mjs");

/**
 * Resolves every import of worker/auth/authenticate.ts to bench/no-auth.mjs, and fails the build
 * if no import was replaced: a build that silently kept verification would report its cost as 0.
 */
function noAuthPlugin(sourceRoot) {
  const target = join(sourceRoot, AUTHENTICATE_MODULE);
  return {
    name: "bench-no-auth",
    setup(pluginBuild) {
      let replaced = 0;
      pluginBuild.onStart(() => {
        replaced = 0;
      });
      pluginBuild.onResolve({ filter: /authenticate(\.[jt]s)?$/ }, (args) => {
        if (resolve(args.resolveDir, args.path).replace(/\.[jt]s$/, "") !== target) return undefined;
        replaced++;
        return { path: NO_AUTH_STUB };
      });
      pluginBuild.onEnd(() =>
        replaced > 0 ? undefined : { errors: [{ text: `no import of ${AUTHENTICATE_MODULE}.ts found to replace` }] },
      );
    },
  };
}

/** esbuild options as wrangler 4.86's `deploy --dry-run` bundles a Worker. */
const WRANGLER_LIKE = {
  entryNames: "index",
  bundle: true,
  format: "esm",
  target: "es2024",
  supported: { "import-source": true },
  keepNames: true,
  conditions: ["workerd", "worker", "browser"],
  external: ["cloudflare:*"],
  define: { "process.env.NODE_ENV": '"production"' },
  loader: { ".js": "jsx", ".mjs": "jsx", ".cjs": "jsx" },
  logLevel: "silent",
};

/**
 * BENCH ONLY: Sluice bundled with esbuild as `wrangler deploy --dry-run` bundles it (wrangler
 * 4.86's options: ESM, es2024, keepNames, the workerd conditions, cloudflare:* external), except
 * that authenticate.ts is replaced by bench/no-auth.mjs, which accepts every request unchecked.
 * This bundle only ever runs inside the bench, as the reference for the cost of verification;
 * the deployable Worker has no way to skip authentication. Returns the directory of `index.js`.
 */
export async function buildWithoutAuth(sourceRoot, outDir) {
  await build({
    ...WRANGLER_LIKE,
    entryPoints: [join(sourceRoot, await benchEntry(sourceRoot))],
    absWorkingDir: sourceRoot,
    outdir: outDir,
    plugins: [noAuthPlugin(sourceRoot)],
  });
  return outDir;
}

/** This tree's busy-time meter (tests/instrumented/busy-time.ts), lent to older commits. */
const BUSY_TIME_MODULE = join(REPO_ROOT, "tests/instrumented/busy-time.ts");

/**
 * BENCH ONLY: a commit from before the busy-time meter (BENCH_LONGPOLL_REF: the RPC long-poll
 * wait), bundled as wrangler would, with this tree's meter wrapped around its queue object and a
 * `busyStats()` added, so its idle cost is measured exactly as today's. Returns the bundle dir.
 */
export async function buildWithBusyTime(sourceRoot, outDir) {
  const entry = [
    `import worker from ${JSON.stringify(join(sourceRoot, SLUICE_MAIN))};`,
    `import { QueueObject, QueueRegistry } from ${JSON.stringify(join(sourceRoot, "durable-objects/index.ts"))};`,
    `import { busyStatsOf, measureBusyTime } from ${JSON.stringify(BUSY_TIME_MODULE)};`,
    `if (!("busyStats" in QueueObject.prototype)) {`,
    `  measureBusyTime(QueueObject, ["sqlStats"]);`,
    `  QueueObject.prototype.busyStats = function () { return busyStatsOf(this); };`,
    `}`,
    `export { QueueObject, QueueRegistry };`,
    `export default worker;`,
  ].join("\n");
  await build({
    ...WRANGLER_LIKE,
    stdin: { contents: entry, resolveDir: sourceRoot, sourcefile: "bench-busy-time-entry.ts", loader: "ts" },
    absWorkingDir: sourceRoot,
    outdir: outDir,
  });
  return outDir;
}

/**
 * Echoes the first lines a Worker prints (prefixed with its name) and counts the rest, so a
 * Worker that logs an error per request cannot bury the tables. Returns the counter.
 */
export function captureOutput(name) {
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
 * `bindings` are its plain-text vars and secrets. `output.lines` counts what the Worker printed.
 */
export async function startWorker({ name, bundleDir, durableObjects, persistDir, bindings = {} }) {
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
    bindings,
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

/** The queue object's `busyStats()` (busy ms, calls per method), over the same RPC proxy. */
export async function queueBusy(mf, queueName) {
  const ns = await mf.getDurableObjectNamespace("QUEUE");
  const stub = ns.get(ns.idFromName(`000000000000/${queueName}`));
  const stats = await stub.busyStats();
  return { busyMs: Number(stats.busyMs), calls: JSON.parse(JSON.stringify(stats.calls)) };
}
