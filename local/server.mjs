/**
 * `npm start`: the built Worker on bare Miniflare, behind a small node:http front. Node's HTTP
 * parser answers framing errors (bad Content-Length, a Host with a path, ...) with 400 itself, and
 * one bad request cannot take the server down, unlike wrangler dev's proxy (issue 11).
 *
 * Options: SLUICE_PORT (default 8787), SLUICE_STATE_DIR (default .wrangler/state, the layout
 * `wrangler dev --persist-to` writes: Durable Objects under <state>/v3/do), SLUICE_CREDENTIALS.
 */
import { createServer } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import { Miniflare } from "miniflare";
import { buildWorker } from "./build-worker.mjs";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

const port = Number(process.env.SLUICE_PORT ?? 8787);
const stateDir = resolve(process.env.SLUICE_STATE_DIR ?? ".wrangler/state");
const host = "127.0.0.1";

const buildDir = mkdtempSync(join(tmpdir(), "sluice-start-"));
const script = join(buildDir, "worker.js");
await buildWorker(script);

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

const server = createServer(async (req, res) => {
  // A client that goes away aborts the request, so the Worker's request.signal fires (long polls).
  const abort = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) abort.abort();
  });
  try {
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
    const response = await mf.dispatchFetch(new URL(req.url ?? "/", `http://${req.headers.host ?? `${host}:${port}`}`), {
      method: req.method,
      headers,
      body: await requestBody(req),
      duplex: "half",
      signal: abort.signal,
      redirect: "manual",
    });
    const outHeaders = {};
    response.headers.forEach((value, name) => {
      if (name !== "set-cookie") outHeaders[name] = value;
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) outHeaders["set-cookie"] = cookies;
    res.writeHead(response.status, outHeaders);
    res.flushHeaders();
    if (response.body && req.method !== "HEAD") {
      // Written chunk by chunk as they come, so long-poll heartbeats reach the client at once.
      for await (const chunk of response.body) {
        if (abort.signal.aborted) break;
        res.write(chunk);
      }
    }
    res.end();
  } catch (error) {
    if (abort.signal.aborted) return;
    console.error("[sluice] request failed:", error);
    if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
    res.end();
  }
});
/** Held whole up to this size; the Worker refuses anything past 4 MiB anyway. */
const BUFFERED_BODY_BYTES = 5 * 1024 * 1024;

/**
 * A complete body is handed over as bytes, so the Worker sees the Content-Length the client
 * signed (a streamed body would arrive chunked, without it). A body that breaks off, or one too
 * big to hold, is handed over as a stream that ends the same way, and the Worker answers it.
 */
async function requestBody(req) {
  if (req.method === "GET" || req.method === "HEAD") return undefined;
  const chunks = [];
  let size = 0;
  const source = req[Symbol.asyncIterator]();
  try {
    for (;;) {
      const { done, value } = await source.next();
      if (done) return Buffer.concat(chunks);
      chunks.push(value);
      size += value.length;
      if (size > BUFFERED_BODY_BYTES) return streamOf(chunks, source);
    }
  } catch (error) {
    return streamOf(chunks, undefined, error);
  }
}

function streamOf(chunks, rest, failure) {
  return Readable.toWeb(
    Readable.from(
      (async function* () {
        yield* chunks;
        if (failure) throw failure;
        for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
      })(),
    ),
  );
}

// Keep-alive and long polls: no server-side request timeout (a long poll waits up to 20 s).
server.requestTimeout = 0;
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
