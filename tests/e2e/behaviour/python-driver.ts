/**
 * A long-lived Python process spoken to in JSON lines: it first prints {"ready": {...}}, then
 * answers each {"id": n, ...} request line with a line carrying the same id. Used for boto3 and
 * awscli, whose import alone costs ~0.3–0.5 s of CPU per process.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { clientEnv, DEBIAN_PYTHON } from "./debian.js";

export interface PythonDriver<Ready> {
  ready: Ready;
  request<Reply>(payload: object): Promise<Reply>;
  close(): void;
}

export interface DriverOptions {
  replacer?: (key: string, value: unknown) => unknown;
  reviver?: (key: string, value: unknown) => unknown;
}

/** Starts `script` (a file next to this one) with Debian's Python. */
export async function startPythonDriver<Ready>(
  script: string,
  args: string[],
  options: DriverOptions = {},
): Promise<PythonDriver<Ready>> {
  const path = fileURLToPath(new URL(`./${script}`, import.meta.url));
  const python = spawn(DEBIAN_PYTHON, [path, ...args], { env: clientEnv(), stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  python.stderr.on("data", (chunk) => (stderr += chunk));
  const pending = new Map<number, (reply: unknown) => void>();
  let onReady: (ready: Ready) => void = () => {};
  const started = new Promise<Ready>((resolve) => (onReady = resolve));
  createInterface({ input: python.stdout }).on("line", (line) => {
    const reply = JSON.parse(line, options.reviver) as { id?: number; ready?: Ready };
    if (reply.ready !== undefined) return onReady(reply.ready);
    pending.get(reply.id!)?.(reply);
    pending.delete(reply.id!);
  });
  const exited = new Promise<never>((_, reject) =>
    python.on("exit", (code) => reject(new Error(`${script} exited with ${code}: ${stderr}`))),
  );
  exited.catch(() => {}); // observed by whoever awaits a reply; closing is not an error
  const ready = await Promise.race([started, exited]);

  let nextId = 0;
  return {
    ready,
    async request<Reply>(payload: object) {
      const id = ++nextId;
      const replied = new Promise<Reply>((resolve) => pending.set(id, resolve as (reply: unknown) => void));
      python.stdin.write(JSON.stringify({ ...payload, id }, options.replacer) + "\n");
      return Promise.race([replied, exited]);
    },
    close() {
      python.stdin.end();
      python.kill();
    },
  };
}
