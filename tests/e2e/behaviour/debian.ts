/**
 * Debian's Query-era Python clients: awscli 2.9.19 and python3-boto3 1.26.27. They are called by
 * absolute path, because the `aws` and `python3` first on PATH may be newer (pyenv) ones that
 * speak JSON. Missing clients fail their suites with instructions, unless
 * SLUICE_SKIP_DEBIAN_CLIENTS=1 says to skip them.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export const DEBIAN_AWS = "/usr/bin/aws";
export const DEBIAN_PYTHON = "/usr/bin/python3";
export const SKIP_DEBIAN_CLIENTS = process.env.SLUICE_SKIP_DEBIAN_CLIENTS === "1";

const INSTALL =
  "Install Debian's Query-era clients with `sudo apt-get install -y awscli python3-boto3` " +
  "(.ci/run does this), or set SLUICE_SKIP_DEBIAN_CLIENTS=1 to skip the awscli and boto3 suites.";

/** Throws, with how to install them, unless Debian's awscli (or boto3) is present. */
export function requireDebianClient(client: "awscli" | "boto3"): void {
  const present =
    client === "awscli"
      ? existsSync(DEBIAN_AWS)
      : existsSync(DEBIAN_PYTHON) && spawnSync(DEBIAN_PYTHON, ["-c", "import boto3"], { env: clientEnv() }).status === 0;
  if (!present) {
    const where = client === "awscli" ? DEBIAN_AWS : `boto3 for ${DEBIAN_PYTHON}`;
    throw new Error(`${where} is missing. ${INSTALL}`);
  }
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
