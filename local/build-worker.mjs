/**
 * The Worker bundled as a deploy bundles it: for `npm start` and for the test suites that start
 * their own Miniflare, so all of them run the same bundle.
 */
import { build } from "esbuild";

/** @param {string} outfile */
export async function buildWorker(outfile) {
  await build({
    entryPoints: ["worker/index.ts"],
    outfile,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2023",
    external: ["cloudflare:*"],
    logLevel: "warning",
  });
}
