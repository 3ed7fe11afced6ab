/**
 * Starts the real Worker once for every end-to-end test file: bundled as a deploy would bundle
 * it, run in a bare Miniflare on 127.0.0.1 with fresh storage in a temporary directory.
 *
 * Bare Miniflare rather than wrangler dev: wrangler dev puts a proxy Worker in front that never
 * tells ours when a client goes away, so the long-poll disconnect rules could not be tested
 * through it; it is also several times slower.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startTestWorker } from "./test-worker.js";

declare module "vitest" {
  export interface ProvidedContext {
    endpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "sluice-e2e-"));
  const mf = await startTestWorker(dir, { localDev: true });
  const url = await mf.ready;
  project.provide("endpoint", url.origin);
  return async () => {
    await mf.dispose();
    rmSync(dir, { recursive: true, force: true });
  };
}
