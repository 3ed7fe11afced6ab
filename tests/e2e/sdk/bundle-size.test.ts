import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { expect, it } from "vitest";

const LIMIT_BYTES = 10 * 1024;

/** Minified + gzipped size of an ESM bundle of `contents` (resolved from the repository root). */
async function gzippedBytes(contents: string, platform: "neutral" | "browser"): Promise<number> {
  const result = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform,
    write: false,
    logLevel: "silent",
  });
  return gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

it("keeps the client under 10 KB minified and gzipped", { timeout: 60_000 }, async () => {
  const client = await gzippedBytes(`export * from "./sdk/client.ts";`, "neutral");
  const sdk = await gzippedBytes(`export * from "./sdk/index.ts";`, "neutral");
  // The whole AWS client, as an app importing it for the browser would ship it.
  const aws = await gzippedBytes(`export * from "@aws-sdk/client-sqs";`, "browser");
  console.log(
    `[bundle size, min+gz] Sluice client ${kb(client)} | whole Sluice SDK ${kb(sdk)} | @aws-sdk/client-sqs ${kb(aws)} (${(aws / client).toFixed(0)}x)`,
  );
  expect(client).toBeLessThan(LIMIT_BYTES);
  expect(aws).toBeGreaterThan(client);
});
