import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "e2e",
    // CI also writes a JSON report so .ci/run can print one plain "N passed, N failed" line.
    reporters: process.env.SLUICE_TEST_REPORT_DIR ? ["default", "json"] : ["default"],
    outputFile: { json: `${process.env.SLUICE_TEST_REPORT_DIR ?? "."}/e2e.json` },
    root: ".",
    include: ["tests/e2e/**/*.test.ts"],
    globalSetup: ["tests/e2e/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
