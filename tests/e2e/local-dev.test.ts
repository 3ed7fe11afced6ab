/**
 * Issue 2's promise for local development: `npm start` serves queues the AWS SDK can use, and
 * what it stored survives a restart. This runs the real `npm start` (local/server.mjs), twice, on a
 * free port and with its state in a temporary directory instead of the developer's
 * .wrangler/state (the start script reads SLUICE_PORT and SLUICE_STATE_DIR for that).
 *
 * Every process the script starts (npm, sh, wrangler, esbuild, workerd) shares the process
 * group of the npm process, so stopping means signalling that group and waiting until none of
 * its members is left: a surviving workerd would keep the port and the SQLite files open.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CreateQueueCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { afterAll, describe, expect, it } from "vitest";
import { keyMap, MAIN_KEY, OTHER_KEY } from "../keys.js";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** wrangler dev bundles and boots workerd: 5–15 s on a loaded 2-core machine, so far more here. */
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 15_000;

interface DevServer {
  process: ChildProcess;
  endpoint: string;
  output: () => string;
}

const running = new Set<ChildProcess>();
// A test run cut short skips afterAll; a detached wrangler must not outlive it all the same.
process.on("exit", () => {
  for (const child of running) signalGroup(child.pid!, "SIGKILL");
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Runs `npm start` and resolves once the worker answers an SQS call. Without `credentials` it
 * runs as a newcomer's does: no SLUICE_CREDENTIALS, so the README's local key pair.
 */
async function startDev(port: number, stateDir: string, credentials?: string): Promise<DevServer> {
  const env: NodeJS.ProcessEnv = { ...process.env, SLUICE_PORT: String(port), SLUICE_STATE_DIR: stateDir };
  delete env.SLUICE_CREDENTIALS;
  if (credentials !== undefined) env.SLUICE_CREDENTIALS = credentials;
  const child = spawn("npm", ["start"], {
    cwd: REPO_ROOT,
    env,
    // Its own process group, so the whole tree can be stopped with one signal.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const server = { process: child, endpoint: `http://127.0.0.1:${port}`, output: () => output };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`npm start exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output}`);
    }
    if (await answersListQueues(server.endpoint)) return server;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`npm start was not ready within ${READY_TIMEOUT_MS} ms:\n${output}`);
}

async function answersListQueues(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/`, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.ListQueues" },
      body: "{}",
      signal: AbortSignal.timeout(5_000),
    });
    await response.arrayBuffer();
    // Unsigned, so refused: any SQS-shaped answer shows the Worker is up.
    return response.status === 403 && response.headers.has("x-amzn-requestid");
  } catch {
    return false;
  }
}

/** Live members of process group `pgid`, read from /proc (zombies are already gone in all but name). */
function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited while we looked
    }
    // Fields after the parenthesised command name: state, ppid, pgrp, ...
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(pgrp) === pgid && state !== "Z") members.push(Number(entry));
  }
  return members;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is already empty
  }
}

/** Stops the whole process tree `npm start` made; returns the pids still alive after SIGTERM's grace. */
async function stopDev(child: ChildProcess): Promise<number[]> {
  const pgid = child.pid!;
  signalGroup(pgid, "SIGTERM");
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (groupMembers(pgid).length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stubborn = groupMembers(pgid);
  if (stubborn.length > 0) signalGroup(pgid, "SIGKILL");
  running.delete(child);
  return stubborn;
}

/** The README's local key pair unless told otherwise. */
const LOCAL_KEY = { accessKeyId: "local", secretAccessKey: "local" };

function sqsClient(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string } = LOCAL_KEY): SQSClient {
  return new SQSClient({ endpoint, region: "us-east-1", credentials, maxAttempts: 1 });
}

describe("npm start (local/server.mjs)", () => {
  const stateDir = mkdtempSync(join(tmpdir(), "sluice-local-dev-"));

  afterAll(async () => {
    for (const child of [...running]) await stopDev(child);
    rmSync(stateDir, { recursive: true, force: true });
  }, STOP_TIMEOUT_MS * 2);

  it(
    "serves the AWS SDK and keeps queues and messages across a restart",
    async () => {
      const port = await freePort();
      const first = await startDev(port, stateDir);
      expect(first.output()).toMatch(/AUTH: LOCAL DEVELOPMENT key pair: access key `local`, secret `local`/);
      const before = sqsClient(first.endpoint);
      const QueueName = `local-dev-${Date.now().toString(36)}`;
      const { QueueUrl } = await before.send(new CreateQueueCommand({ QueueName }));
      expect(QueueUrl).toBe(`${first.endpoint}/000000000000/${QueueName}`);
      const Body = "survives a restart ✓";
      // The SDK checks MD5OfMessageBody itself.
      const { MessageId } = await before.send(new SendMessageCommand({ QueueUrl, MessageBody: Body }));
      expect(MessageId).toBeTruthy();
      before.destroy();

      expect(await stopDev(first.process), "processes that ignored SIGTERM").toEqual([]);
      expect(groupMembers(first.process.pid!), "orphans of the first npm start").toEqual([]);
      expect(await answersListQueues(first.endpoint)).toBe(false);

      const second = await startDev(port, stateDir);
      const after = sqsClient(second.endpoint);
      expect((await after.send(new GetQueueUrlCommand({ QueueName }))).QueueUrl).toBe(QueueUrl);
      const { Messages } = await after.send(
        new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }),
      );
      expect(Messages?.map((m) => ({ MessageId: m.MessageId, Body: m.Body }))).toEqual([{ MessageId, Body }]);
      after.destroy();

      expect(await stopDev(second.process), "processes that ignored SIGTERM").toEqual([]);
      expect(groupMembers(second.process.pid!), "orphans of the second npm start").toEqual([]);
    },
    READY_TIMEOUT_MS * 2 + STOP_TIMEOUT_MS * 2 + 30_000,
  );

  it(
    "survives malformed requests, answering none of them with a 5xx; takes its keys from SLUICE_CREDENTIALS",
    async () => {
      const port = await freePort();
      const server = await startDev(port, stateDir, JSON.stringify(keyMap(MAIN_KEY, OTHER_KEY)));
      expect(server.output()).toMatch(/AUTH: keys from SLUICE_CREDENTIALS \(2 keys\)/);
      const head = (lines: string[]) => `${lines.join("\r\n")}\r\n\r\n`;
      const host = `Host: 127.0.0.1:${port}`;
      const form = "Content-Type: application/x-www-form-urlencoded";
      const cases: Array<[string, string]> = [
        ["short body, then half-close", head(["POST / HTTP/1.1", host, form, "Content-Length: 100"]) + "ab"],
        ["non-numeric Content-Length", head(["POST / HTTP/1.1", host, form, "Content-Length: abc"]) + "ab"],
        ["negative Content-Length", head(["POST / HTTP/1.1", host, form, "Content-Length: -5"]) + "ab"],
        ["duplicate Content-Length", head(["POST / HTTP/1.1", host, form, "Content-Length: 2", "Content-Length: 5"]) + "ab"],
        ["Host with a path", head(["GET / HTTP/1.1", "Host: 127.0.0.1/evil", "Connection: close"])],
      ];
      for (const [name, raw] of cases) {
        const answer = await rawRequest(port, raw);
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
        // No answer at all (connection closed) is fine for a framing error; a 5xx is not.
        expect(status < 500, `${name}: ${answer.split("\r\n")[0]}`).toBe(true);
      }
      // With keys configured, the local pair is just an unknown key.
      const local = sqsClient(server.endpoint);
      await expect(local.send(new ListQueuesCommand({}))).rejects.toMatchObject({ name: "InvalidClientTokenId" });
      local.destroy();
      const client = sqsClient(server.endpoint, MAIN_KEY);
      const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: `malformed-${Date.now().toString(36)}` }));
      await client.send(new SendMessageCommand({ QueueUrl, MessageBody: "still here" }));
      const { Messages } = await client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
      expect(Messages?.map((m) => m.Body)).toEqual(["still here"]);
      client.destroy();
      expect(await stopDev(server.process), "processes that ignored SIGTERM").toEqual([]);
    },
    READY_TIMEOUT_MS + STOP_TIMEOUT_MS + 30_000,
  );
});

/** Writes `raw` to a fresh connection, half-closes it, and returns whatever comes back. */
function rawRequest(port: number, raw: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on("connect", () => socket.end(raw));
    socket.on("data", (chunk) => (answer += chunk.toString()));
    socket.on("close", () => resolve(answer));
    socket.on("error", () => undefined);
  });
}
