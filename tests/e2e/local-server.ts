/**
 * Running the real `npm start` (local/server.mjs) from a test: on a free port, with its state in
 * a directory the test chooses (the start script reads SLUICE_PORT and SLUICE_STATE_DIR), and
 * stopping it, gently or with kill -9.
 *
 * Every process the script starts (npm, sh, node, workerd) shares the process group of the npm
 * process, so stopping means signalling that group and waiting until none of its members is
 * left: a surviving workerd would keep the port and the SQLite files open.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { SQSClient } from "@aws-sdk/client-sqs";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** npm start bundles the Worker and boots workerd: 5–15 s on a loaded 2-core machine, so far more here. */
export const READY_TIMEOUT_MS = 90_000;
export const STOP_TIMEOUT_MS = 15_000;

export interface DevServer {
  process: ChildProcess;
  endpoint: string;
  output: () => string;
}

const running = new Set<ChildProcess>();
// A test run cut short skips afterAll; a detached server must not outlive it all the same.
process.on("exit", () => {
  for (const child of running) signalGroup(child.pid!, "SIGKILL");
});

/** The servers started and not yet stopped, for an afterAll to stop. */
export const runningServers = (): ChildProcess[] => [...running];

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Runs `npm start` and resolves once the worker answers an SQS call. Without `credentials` it
 * runs as a newcomer's does: no SLUICE_CREDENTIALS, so the README's local key pair. `tmpDir`
 * becomes its TMPDIR: a server killed with -9 leaves its build directory there, so a test that
 * kills one can remove what it left.
 */
export async function startDev(port: number, stateDir: string, credentials?: string, tmpDir?: string): Promise<DevServer> {
  const env: NodeJS.ProcessEnv = { ...process.env, SLUICE_PORT: String(port), SLUICE_STATE_DIR: stateDir };
  delete env.SLUICE_CREDENTIALS;
  if (credentials !== undefined) env.SLUICE_CREDENTIALS = credentials;
  if (tmpDir !== undefined) env.TMPDIR = tmpDir;
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

export async function answersListQueues(endpoint: string): Promise<boolean> {
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
export function groupMembers(pgid: number): number[] {
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

async function waitForEmptyGroup(pgid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (groupMembers(pgid).length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Stops the whole process tree `npm start` made; returns the pids still alive after SIGTERM's grace. */
export async function stopDev(child: ChildProcess): Promise<number[]> {
  const pgid = child.pid!;
  signalGroup(pgid, "SIGTERM");
  await waitForEmptyGroup(pgid, STOP_TIMEOUT_MS);
  const stubborn = groupMembers(pgid);
  if (stubborn.length > 0) signalGroup(pgid, "SIGKILL");
  running.delete(child);
  return stubborn;
}

/**
 * kill -9 on the whole tree: no process gets to flush or close anything, as in a power cut.
 * Returns the pids still alive afterwards (none, unless the kernel could not reap them in time).
 */
export async function killDev(child: ChildProcess): Promise<number[]> {
  const pgid = child.pid!;
  signalGroup(pgid, "SIGKILL");
  await waitForEmptyGroup(pgid, STOP_TIMEOUT_MS);
  running.delete(child);
  return groupMembers(pgid);
}

/** The README's local key pair unless told otherwise. */
const LOCAL_KEY = { accessKeyId: "local", secretAccessKey: "local" };

/** No retries: a call that failed is one the test did not get an answer to, nothing more. */
export function sqsClient(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string } = LOCAL_KEY): SQSClient {
  return new SQSClient({ endpoint, region: "us-east-1", credentials, maxAttempts: 1 });
}
