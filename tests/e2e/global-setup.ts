/**
 * Starts the real Worker once on 127.0.0.1 (wrangler's unstable_startWorker, fresh state in a
 * temporary directory) and hands its URL to every end-to-end test file.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { unstable_startWorker } from "wrangler";

declare module "vitest" {
  export interface ProvidedContext {
    endpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const persist = mkdtempSync(join(tmpdir(), "sluice-e2e-"));
  const worker = await unstable_startWorker({
    config: "wrangler.toml",
    dev: {
      server: { hostname: "127.0.0.1", port: 0 },
      inspector: false,
      watch: false,
      persist,
      logLevel: "warn",
    },
  });
  const url = await worker.url;
  project.provide("endpoint", url.origin);
  return async () => {
    await worker.dispose();
    rmSync(persist, { recursive: true, force: true });
  };
}
