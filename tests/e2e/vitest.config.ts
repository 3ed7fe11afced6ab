import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "e2e",
    root: ".",
    include: ["tests/e2e/**/*.test.ts"],
    globalSetup: ["tests/e2e/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
