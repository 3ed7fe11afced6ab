/**
 * SigV4 authentication of the REST API through curl's own signer (`--aws-sigv4`, as the README's
 * curl session uses it). curl takes its date from the system clock, so the 20-minutes-ago case
 * runs curl under Debian's faketime; a local run without faketime skips only that case, with one
 * line, and CI (.ci/run installs it) requires it.
 */
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { existsSync } from "node:fs";
import { authSuite, type Outcome, type Probe } from "./auth-suite.js";
import { PROBE_QUEUE } from "./tamper-proxy.js";

/** SLUICE_FAKETIME overrides the path, so its absence can be tested on a machine that has it. */
const FAKETIME = process.env.SLUICE_FAKETIME ?? "/usr/bin/faketime";
const IN_CI = process.env.CI === "true" || process.env.CI === "1";
const hasCurl = spawnSync("curl", ["--version"]).status === 0;
const hasFaketime = existsSync(FAKETIME);
if (!hasFaketime && !IN_CI) {
  console.warn("[sluice] skipping curl's 20-minutes-ago signature case: faketime is missing; install it with `sudo apt-get install -y faketime` (.ci/run does this).");
}

const probe: Probe = async ({ endpoint, accessKeyId, secretAccessKey, clockMinutes = 0 }) => {
  const curl = [
    "curl", "-s", "-w", "\n%{http_code}",
    "--aws-sigv4", "aws:amz:us-east-1:sqs", "--user", `${accessKeyId}:${secretAccessKey}`,
    "-X", "POST", `${endpoint}/v1/queues`,
    "-H", "content-type: application/json",
    "-d", JSON.stringify({ name: PROBE_QUEUE }),
  ];
  if (clockMinutes !== 0 && !hasFaketime) throw new Error(`${FAKETIME} is missing (required when CI=true): apt-get install -y faketime`);
  const command = clockMinutes === 0 ? curl : [FAKETIME, "-f", `${clockMinutes}m`, ...curl];
  // Not execFileSync: the tampering proxy runs in this process and must keep answering.
  const { stdout: output } = await promisify(execFile)(command[0]!, command.slice(1), { encoding: "utf8" });
  const status = Number(output.slice(output.lastIndexOf("\n") + 1));
  if (status < 400) return { ok: true };
  const { error } = JSON.parse(output.slice(0, output.lastIndexOf("\n"))) as { error: { code: string; message: string } };
  return { ok: false, code: error.code, status, message: error.message } satisfies Outcome;
};

if (!hasCurl) throw new Error("curl is needed for the REST authentication suite: apt-get install curl");
authSuite("curl --aws-sigv4 (REST)", probe, {
  skipOldClock: !hasFaketime && !IN_CI,
  noCrossAccount: "REST paths name queues by name, always in the caller's own account",
});
