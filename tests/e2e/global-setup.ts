/**
 * Starts the real Worker once for every end-to-end test file: bundled as a deploy would bundle
 * it, run in a bare Miniflare on 127.0.0.1 with fresh storage in a temporary directory.
 *
 * Bare Miniflare rather than wrangler dev: wrangler dev puts a proxy Worker in front that never
 * tells ours when a client goes away, so the long-poll disconnect rules could not be tested
 * through it; it is also several times slower (design.md section 7).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { buildWorker } from "../../local/build-worker.mjs";
import type { TestProject } from "vitest/node";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { TEST_KEYS } from "../keys.js";

declare module "vitest" {
  export interface ProvidedContext {
    endpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "sluice-e2e-"));
  const script = join(dir, "worker.js");
  await buildWorker(script);
  // Bindings, compatibility date and flags come from wrangler.toml, as for `npm start`.
  const { workerOptions } = unstable_getMiniflareWorkerOptions("wrangler.toml");
  const mf = new Miniflare({
    ...(workerOptions as object),
    name: "sluice",
    // Signatures are verified against the tests' keys, as a deployment's secret would hold them.
    bindings: {
      ...(workerOptions as { bindings?: object }).bindings,
      SLUICE_LOCAL_DEV: "1",
      SLUICE_CREDENTIALS: JSON.stringify(TEST_KEYS),
    },
    modules: true,
    modulesRoot: dir,
    scriptPath: script,
    host: "127.0.0.1",
    port: 0,
    durableObjectsPersist: join(dir, "state"),
  });
  const url = await mf.ready;
  project.provide("endpoint", url.origin);
  return async () => {
    await mf.dispose();
    rmSync(dir, { recursive: true, force: true });
  };
}
