/**
 * Debian's Query-era Python clients: awscli 2.9.19 and python3-boto3 1.26.27. They are called by
 * absolute path, because the `aws` and `python3` first on PATH may be newer (pyenv) ones that
 * speak JSON. A local run without them skips their suites with one line saying how to install
 * them; in CI (CI=true, where .ci/run installs them) a missing client fails its suite.
 * SLUICE_DEBIAN_AWS / SLUICE_DEBIAN_PYTHON override the paths, so the absence can be tested on a
 * machine that has them.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export const DEBIAN_AWS = process.env.SLUICE_DEBIAN_AWS ?? "/usr/bin/aws";
export const DEBIAN_PYTHON = process.env.SLUICE_DEBIAN_PYTHON ?? "/usr/bin/python3";
const IN_CI = process.env.CI === "true" || process.env.CI === "1";

const INSTALL = "install them with `sudo apt-get install -y awscli python3-boto3` (.ci/run does this)";

type Client = "awscli" | "boto3";

/** What is missing for a client, or undefined when it is present. */
function missing(client: Client): string | undefined {
  if (client === "awscli") return existsSync(DEBIAN_AWS) ? undefined : DEBIAN_AWS;
  const present =
    existsSync(DEBIAN_PYTHON) && spawnSync(DEBIAN_PYTHON, ["-c", "import boto3"], { env: clientEnv() }).status === 0;
  return present ? undefined : `boto3 for ${DEBIAN_PYTHON}`;
}

/**
 * Whether a client's suites should be skipped: only outside CI, when the client is missing,
 * saying so in one line.
 */
export function skipDebianClient(client: Client): boolean {
  const what = missing(client);
  if (what === undefined || IN_CI) return false;
  console.warn(`[sluice] skipping the ${client} suites: ${what} is missing; ${INSTALL}.`);
  return true;
}

/** Throws, with how to install them, unless Debian's awscli (or boto3) is present. */
export function requireDebianClient(client: Client): void {
  const what = missing(client);
  if (what !== undefined) throw new Error(`${what} is missing (required when CI=true); ${INSTALL}.`);
}

/** A clean environment: fake credentials, no user config or pyenv/virtualenv leaking in. */
export function clientEnv(): NodeJS.ProcessEnv {
  return {
    PATH: "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/tmp",
    LANG: "C.UTF-8",
    PYTHONIOENCODING: "utf-8",
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "secret",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_CONFIG_FILE: "/nonexistent/sluice-aws-config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/sluice-aws-credentials",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_PAGER: "",
  };
}
