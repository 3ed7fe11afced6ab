/**
 * The README's "Deploy to Cloudflare" section cannot rot: every `npx wrangler` command in its
 * shell blocks is run in the form that works offline. `deploy` runs as written plus `--dry-run`
 * (it builds the Worker and lists its bindings, reaching no network); every other command runs
 * with `--help`, and each flag the guide gives it must be one wrangler still knows.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const run = promisify(execFile);
const outdir = mkdtempSync(join(tmpdir(), "sluice-deploy-guide-"));

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** The section's text, from its heading to the next one. */
function section(): string {
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const start = readme.indexOf("\n## Deploy to Cloudflare\n");
  expect(start, "README.md has a Deploy to Cloudflare section").toBeGreaterThan(0);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** Each `npx wrangler …` command of the section's sh blocks, as its words (quotes and comments gone). */
function wranglerCommands(text: string): string[][] {
  const commands: string[][] = [];
  for (const [, block] of text.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of block!.split("\n")) {
      const command = /npx wrangler ([^#|;&]*)/.exec(line)?.[1];
      if (command) commands.push(words(command));
    }
  }
  return commands;
}

function words(command: string): string[] {
  return [...command.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/** The subcommand: the leading lower-case words (`secret put`, `versions list`). */
function subcommand(args: string[]): string[] {
  const end = args.findIndex((word) => !/^[a-z][a-z-]*$/.test(word));
  return args.slice(0, end < 0 ? args.length : end);
}

async function wrangler(args: string[]): Promise<{ code: number; output: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_SEND_ERROR_REPORTS: "false",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    XDG_CONFIG_HOME: join(REPO_ROOT, ".wrangler/config"),
  };
  // No account: the offline forms must not need one.
  delete env.CLOUDFLARE_API_TOKEN;
  delete env.CLOUDFLARE_ACCOUNT_ID;
  try {
    const { stdout, stderr } = await run("npx", ["wrangler", ...args], { cwd: REPO_ROOT, env, timeout: 60_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: (failed.stdout ?? "") + (failed.stderr ?? "") };
  }
}

describe("the README's deploy guide", () => {
  const commands = wranglerCommands(section());

  it("covers logging in, deploying, the secret, rolling back and tailing the logs", () => {
    const names = commands.map((args) => subcommand(args).join(" "));
    for (const needed of ["login", "deploy", "secret put", "versions list", "rollback", "tail"]) {
      expect(names, `the guide runs wrangler ${needed}`).toContain(needed);
    }
  });

  it("deploys as written, in --dry-run form: the bundle builds with both Durable Object bindings", async () => {
    const deploys = commands.filter((args) => subcommand(args)[0] === "deploy");
    expect(deploys.length).toBeGreaterThan(0);
    for (const args of deploys) {
      const { code, output } = await wrangler([...args, "--dry-run", "--outdir", outdir]);
      expect(code, output).toBe(0);
      expect(output).toContain("env.QUEUE (QueueObject)");
      expect(output).toContain("env.REGISTRY (QueueRegistry)");
      expect(output).toContain("--dry-run: exiting now.");
    }
  }, 120_000);

  it("gives every other command only flags wrangler knows", async () => {
    for (const args of commands.filter((a) => subcommand(a)[0] !== "deploy")) {
      const command = subcommand(args);
      const { code, output } = await wrangler([...command, "--help"]);
      expect(code, output).toBe(0);
      expect(output, `wrangler ${command.join(" ")} --help`).toContain(`wrangler ${command.join(" ")}`);
      for (const flag of args.filter((w) => w.startsWith("--")).map((w) => w.split("=")[0]!)) {
        expect(output, `wrangler ${command.join(" ")} knows ${flag}`).toMatch(new RegExp(`(^|\\s|, )${flag}\\b`, "m"));
      }
    }
  }, 180_000);
});
