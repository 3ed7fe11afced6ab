/**
 * SigV4 authentication through Debian's boto3 1.26.27 and awscli 2.9.19 (Query protocol), one
 * Python process per probe (sigv4_probe.py), and boto3's presigned URLs. Skipped locally, with
 * one line, when those clients are not installed (behaviour/debian.ts); required in CI.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MAIN_KEY } from "../../keys.js";
import { clientEnv, DEBIAN_PYTHON, requireDebianClient, skipDebianClient } from "../behaviour/debian.js";
import { endpoint } from "../clients.js";
import { authSuite, type Outcome, type Probe } from "./auth-suite.js";
import { PROBE_QUEUE } from "./tamper-proxy.js";

const SCRIPT = fileURLToPath(new URL("./sigv4_probe.py", import.meta.url));

function run<T>(args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const python = spawn(DEBIAN_PYTHON, [SCRIPT, ...args], { env: clientEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    python.stdout.on("data", (chunk) => (stdout += chunk));
    python.stderr.on("data", (chunk) => (stderr += chunk));
    python.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`sigv4_probe.py ${args[0]} exited with ${code}: ${stderr}`));
      resolve(JSON.parse(stdout) as T);
    });
  });
}

const probeWith =
  (client: "boto3" | "awscli"): Probe =>
  ({ endpoint, accessKeyId, secretAccessKey, clockMinutes = 0, sendTo }) => {
    requireDebianClient(client);
    const target = sendTo ? ["send", sendTo] : ["create", PROBE_QUEUE];
    return run<Outcome>([client, endpoint, accessKeyId, secretAccessKey, String(clockMinutes), ...target]);
  };

authSuite("boto3 (Query, Debian)", probeWith("boto3"), { skip: skipDebianClient("boto3") });
authSuite("awscli (Query, Debian)", probeWith("awscli"), { skip: skipDebianClient("awscli") });

describe.skipIf(skipDebianClient("boto3"))("boto3 (Query, Debian): presigned URLs", () => {
  it("serves a presigned URL while it is valid, and refuses it with SignatureDoesNotMatch once expired", async () => {
    requireDebianClient("boto3");
    // X-Amz-Date has whole seconds, so a URL for 1 s could be stale on arrival when signed late in
    // a second; 3 s leaves the Python process and the first fetch two seconds at least.
    const { url } = await run<{ url: string }>(["presign", endpoint(), MAIN_KEY.accessKeyId, MAIN_KEY.secretAccessKey, "3", PROBE_QUEUE]);
    expect(url).toContain("X-Amz-Expires=3");
    const fresh = await fetch(url, { method: "POST" });
    expect(fresh.status, await fresh.clone().text()).toBe(200);
    expect(await fresh.text()).toContain("<ListQueuesResponse");
    await new Promise((resolve) => setTimeout(resolve, 4_100));
    const expired = await fetch(url, { method: "POST" });
    expect(expired.status).toBe(403);
    const xml = await expired.text();
    expect(xml).toContain("<Code>SignatureDoesNotMatch</Code>");
    expect(xml).toMatch(/<Message>Signature expired: \d{8}T\d{6}Z is now earlier than/);
  });
});

describe.skipIf(skipDebianClient("boto3"))("boto3 (Query, Debian): signed with the Date header", () => {
  it("is served when botocore signs with Date instead of X-Amz-Date", async () => {
    requireDebianClient("boto3");
    const result = await run<{ ok: boolean; code?: string; message?: string; sent: Record<string, string> }>([
      "date", endpoint(), MAIN_KEY.accessKeyId, MAIN_KEY.secretAccessKey, "0", PROBE_QUEUE,
    ]);
    expect(result.sent["x-amz-date"]).toBeUndefined();
    expect(result.sent.date).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} (GMT|-0000)$/);
    expect(result.sent.authorization).toMatch(/SignedHeaders=[^,]*\bdate\b/);
    expect(result.sent.authorization).not.toContain("x-amz-date");
    expect(result).toMatchObject({ ok: true });
  });
});
