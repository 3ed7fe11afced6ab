/**
 * `npm start`: the built Worker on bare Miniflare, behind a small node:http front (front.ts) that
 * answers every request, itself or through the Worker. Node's HTTP parser answers
 * framing errors (a bad Content-Length, a broken chunk, ...) with 400 itself, and one bad request
 * cannot take the server down, unlike wrangler dev's proxy.
 *
 * Options: SLUICE_PORT (default 8787), SLUICE_STATE_DIR (default .wrangler/state, the layout
 * `wrangler dev --persist-to` writes: Durable Objects under <state>/v3/do), SLUICE_CREDENTIALS.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Miniflare } from "miniflare";
import { buildFront, buildWorker } from "./build-worker.mjs";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

const port = Number(process.env.SLUICE_PORT ?? 8787);
const stateDir = resolve(process.env.SLUICE_STATE_DIR ?? ".wrangler/state");
const host = "127.0.0.1";

const buildDir = mkdtempSync(join(tmpdir(), "sluice-start-"));
const script = join(buildDir, "worker.js");
const front = join(buildDir, "front.mjs");
await Promise.all([buildWorker(script), buildFront(front)]);

const { workerOptions } = unstable_getMiniflareWorkerOptions("wrangler.toml");
const bindings = { ...workerOptions.bindings, SLUICE_LOCAL_DEV: "1" };
if (process.env.SLUICE_CREDENTIALS) bindings.SLUICE_CREDENTIALS = process.env.SLUICE_CREDENTIALS;
const mf = new Miniflare({
  ...workerOptions,
  name: "sluice",
  modules: true,
  modulesRoot: buildDir,
  scriptPath: script,
  bindings,
  durableObjectsPersist: join(stateDir, "v3", "do"),
});
await mf.ready;

const { createFront } = await import(pathToFileURL(front).href);
const server = createFront({
  dispatch: (url, init) => mf.dispatchFetch(url, init),
  defaultHost: `${host}:${port}`,
});

server.listen(port, host, () => {
  const url = `http://${host}:${server.address().port}`;
  console.log(`[sluice] listening on ${url} (built Worker on Miniflare, state in ${stateDir})`);
  const keys = process.env.SLUICE_CREDENTIALS ? Object.keys(safeJson(process.env.SLUICE_CREDENTIALS)).length : 0;
  console.log(
    process.env.SLUICE_CREDENTIALS
      ? `[sluice] AUTH: keys from SLUICE_CREDENTIALS (${keys} keys)`
      : "[sluice] AUTH: LOCAL DEVELOPMENT key pair: access key `local`, secret `local`, account 000000000000 — local only; set SLUICE_CREDENTIALS for your own keys",
  );
});

function safeJson(text) {
  try {
    return JSON.parse(text) ?? {};
  } catch {
    return {};
  }
}

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  console.log("[sluice] shutting down");
  server.closeAllConnections();
  server.close();
  await mf.dispose();
  rmSync(buildDir, { recursive: true, force: true });
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
