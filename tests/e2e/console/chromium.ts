/**
 * Headless Chromium for the console's browser tests: Debian's `chromium` package, driven by
 * playwright-core (which brings no browser of its own). A local run without it skips those tests
 * with one line saying how to install it; in CI (CI=true, where .ci/run installs it) a missing
 * browser fails them. SLUICE_CHROMIUM overrides the path, so the absence can be tested on a
 * machine that has it.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

export const CHROMIUM = process.env.SLUICE_CHROMIUM ?? "/usr/bin/chromium";
const IN_CI = process.env.CI === "true" || process.env.CI === "1";
const INSTALL = "install it with `sudo apt-get install -y chromium` (.ci/run does this)";

/** Whether the browser tests should be skipped: only outside CI, when Chromium is missing, saying so once. */
export function skipChromium(): boolean {
  if (existsSync(CHROMIUM) || IN_CI) return false;
  console.warn(`[sluice] skipping the console's browser tests: ${CHROMIUM} is missing; ${INSTALL}.`);
  return true;
}

export interface LaunchedBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Chromium with a fresh profile (its --user-data-dir, which playwright takes as the persistent
 * context's directory) and nothing reaching the network on its own.
 */
export async function launchChromium(): Promise<LaunchedBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (required when CI=true); ${INSTALL}.`);
  const profile = mkdtempSync(join(tmpdir(), "sluice-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1100, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Where a browser test keeps its screenshots: the test report directory, or a temporary one. */
export function screenshotDir(): string {
  const dir = join(process.env.SLUICE_TEST_REPORT_DIR ?? join(tmpdir(), "sluice-test-report"), "console-screenshots");
  mkdirSync(dir, { recursive: true });
  return dir;
}
