import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { TEST_KEYS } from "../keys.js";

export default defineConfig({
  plugins: [
    cloudflareTest({
      // The instrumented Worker: its queue object answers the test hooks (tests/instrumented/queue-object.ts).
      main: "./tests/instrumented/worker.ts",
      wrangler: { configPath: "./wrangler.toml" },
      // The tests' own keys (tests/keys.ts), as a deployment's SLUICE_CREDENTIALS secret would hold them.
      miniflare: { bindings: { SLUICE_CREDENTIALS: JSON.stringify(TEST_KEYS) } },
    }),
  ],
  test: {
    name: "unit",
    // CI also writes a JSON report so .ci/run can print one plain "N passed, N failed" line.
    reporters: process.env.SLUICE_TEST_REPORT_DIR ? ["default", "json"] : ["default"],
    outputFile: { json: `${process.env.SLUICE_TEST_REPORT_DIR ?? "."}/unit.json` },
    root: ".",
    include: ["tests/unit/**/*.test.ts"],
  },
});
