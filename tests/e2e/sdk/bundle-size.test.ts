/**
 * Bundle sizes, minified and gzipped with esbuild: the Sluice client must stay under 10 KB, and
 * every size that README.md and sdk/README.md quote must be one this test measures (and prints).
 */
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { expect, it } from "vitest";

const LIMIT_BYTES = 10 * 1024;
/** Docs quote sizes to 0.1 KB; this much drift is allowed before they must be updated. */
const DOC_TOLERANCE_KB = 0.2;

/** Minified + gzipped size of an ESM bundle of `contents` (resolved from the repository root). */
async function gzippedBytes(contents: string, platform: "neutral" | "browser" | "node"): Promise<number> {
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

const kb = (bytes: number) => Number((bytes / 1024).toFixed(1));

type Measured = "client" | "sdk" | "awsBrowser" | "awsBrowserThreeCommands" | "awsNode";

/** Where each doc states a measured size; every decimal "N.N KB" in a doc must be one of these. */
const CLAIMS: Record<string, [Measured, RegExp][]> = {
  "README.md": [
    ["client", /a (\d+\.\d) KB client/],
    ["client", /The client is (\d+\.\d) KB minified and gzipped/],
    ["sdk", /the whole SDK (\d+\.\d) KB/],
    ["awsBrowser", /`@aws-sdk\/client-sqs` bundles to (\d+\.\d) KB for the browser/],
    ["awsNode", /and (\d+\.\d) KB for Node/],
  ],
  "sdk/README.md": [
    ["client", /the client is (\d+\.\d) KB minified and gzipped/],
    ["sdk", /the whole SDK \(client, Producer, Consumer\) is (\d+\.\d) KB/],
    ["awsBrowser", /`@aws-sdk\/client-sqs` bundles to (\d+\.\d) KB for the browser/],
    ["awsBrowserThreeCommands", /\((\d+\.\d) KB even when only `SQSClient` and three commands are imported\)/],
    ["awsNode", /and (\d+\.\d) KB for Node/],
  ],
};

it("keeps the client under 10 KB and measures every size the docs quote", { timeout: 120_000 }, async () => {
  const bytes: Record<Measured, number> = {
    client: await gzippedBytes(`export * from "./sdk/client.ts";`, "neutral"),
    sdk: await gzippedBytes(`export * from "./sdk/index.ts";`, "neutral"),
    // The whole AWS client, as an app importing it for the browser or for Node would ship it.
    awsBrowser: await gzippedBytes(`export * from "@aws-sdk/client-sqs";`, "browser"),
    awsBrowserThreeCommands: await gzippedBytes(
      `export { SQSClient, SendMessageCommand, ReceiveMessageCommand, DeleteMessageCommand } from "@aws-sdk/client-sqs";`,
      "browser",
    ),
    awsNode: await gzippedBytes(`export * from "@aws-sdk/client-sqs";`, "node"),
  };
  console.log(
    `[bundle size, min+gz] Sluice client ${kb(bytes.client)} KB | whole Sluice SDK ${kb(bytes.sdk)} KB | ` +
      `@aws-sdk/client-sqs: browser ${kb(bytes.awsBrowser)} KB, browser with SQSClient and three commands ` +
      `${kb(bytes.awsBrowserThreeCommands)} KB, node ${kb(bytes.awsNode)} KB (${(bytes.awsBrowser / bytes.client).toFixed(0)}x the client)`,
  );
  expect(bytes.client).toBeLessThan(LIMIT_BYTES);
  expect(bytes.awsBrowser).toBeGreaterThan(bytes.client);

  for (const [file, claims] of Object.entries(CLAIMS)) {
    const text = readFileSync(file, "utf8").replace(/\s+/g, " ");
    const quoted = [...text.matchAll(/\d+\.\d+ KB/g)].map((m) => m[0]);
    const checked = claims.map(([measured, pattern]) => {
      const figure = pattern.exec(text)?.[1];
      expect(figure, `${file} no longer states the ${measured} size as ${pattern}`).toBeDefined();
      expect(Math.abs(Number(figure) - kb(bytes[measured])), `${file}: ${measured} is ${figure} KB, measured ${kb(bytes[measured])} KB`).toBeLessThanOrEqual(
        DOC_TOLERANCE_KB + 1e-9,
      );
      return `${figure} KB`;
    });
    // A size quoted anywhere else in the doc is one nobody measures.
    expect(quoted.sort(), `${file} quotes sizes this test does not measure`).toEqual(checked.sort());
  }
});
