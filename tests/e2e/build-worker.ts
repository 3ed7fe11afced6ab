/** The Worker bundled as a deploy would bundle it, for the suites that start their own Miniflare. */
import { build } from "esbuild";

export async function buildWorker(outfile: string): Promise<void> {
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
