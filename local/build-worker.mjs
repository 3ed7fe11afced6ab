/**
 * The Worker bundled as a deploy bundles it: for `npm start` and for the test suites that start
 * their own Miniflare, so all of them run the same bundle.
 */
import { build } from "esbuild";

/**
 * @param {string} outfile
 * @param {string} [entry] another entry point wrapping the Worker (a test's hooks); the Worker itself by default
 */
export async function buildWorker(outfile, entry = "worker/index.ts") {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2023",
    external: ["cloudflare:*"],
    logLevel: "warning",
  });
}

/**
 * npm start's node:http front (local/front.ts), bundled for Node: it shapes its own answers with
 * the Worker's protocol modules, so it is TypeScript like them.
 * @param {string} outfile
 */
export async function buildFront(outfile) {
  await build({
    entryPoints: ["local/front.ts"],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "warning",
  });
}
