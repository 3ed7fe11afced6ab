/**
 * The Worker as the end-to-end suites run it: bundled as a deploy would bundle it (optionally
 * from another entry point, for test-only hooks), on a bare Miniflare on 127.0.0.1 with storage
 * under `dir`, bindings from wrangler.toml and the tests' keys as its SLUICE_CREDENTIALS.
 */
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { buildWorker } from "../../local/build-worker.mjs";
import { TEST_KEYS } from "../keys.js";

export interface TestWorkerOptions {
  entry?: string;
  localDev?: boolean;
  /** Hears every line the Worker writes to its console (workerd's stdout and stderr). */
  onLog?: (line: string) => void;
}

export async function startTestWorker(dir: string, options: TestWorkerOptions = {}): Promise<Miniflare> {
  const script = join(dir, "worker.js");
  await buildWorker(script, options.entry);
  // Bindings, compatibility date and flags come from wrangler.toml, as for `npm start`.
  const { workerOptions } = unstable_getMiniflareWorkerOptions("wrangler.toml");
  const mf = new Miniflare({
    ...(workerOptions as object),
    name: "sluice",
    // Signatures are verified against the tests' keys, as a deployment's secret would hold them.
    bindings: {
      ...(workerOptions as { bindings?: object }).bindings,
      ...(options.localDev ? { SLUICE_LOCAL_DEV: "1" } : {}),
      SLUICE_CREDENTIALS: JSON.stringify(TEST_KEYS),
    },
    modules: true,
    modulesRoot: dir,
    scriptPath: script,
    host: "127.0.0.1",
    port: 0,
    durableObjectsPersist: join(dir, "state"),
    ...(options.onLog && {
      handleRuntimeStdio(stdout: Readable, stderr: Readable) {
        for (const stream of [stdout, stderr]) createInterface({ input: stream }).on("line", options.onLog!);
      },
    }),
  });
  await mf.ready;
  return mf;
}
