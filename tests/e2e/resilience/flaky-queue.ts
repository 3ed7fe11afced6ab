/**
 * The Worker with its test-only flaky queue object (flaky-worker.mjs) on a Miniflare of its own,
 * and the handle a test arms failures through.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Miniflare } from "miniflare";
import { MAIN_KEY } from "../../keys.js";
import { startTestWorker } from "../test-worker.js";

export interface FailurePlan {
  method: "send" | "receive" | "getAttributes" | "describe";
  /** A platform failure, or ("bug") an error thrown by the object's own code. */
  kind: "retryable" | "overloaded" | "bug";
  times: number;
  after?: boolean;
}

interface FlakyQueueObject {
  failNext(plan: FailurePlan): Promise<void>;
  callCount(method: FailurePlan["method"]): Promise<number>;
}

export interface FlakyWorker {
  endpoint: string;
  /** Every console line the Worker wrote so far. */
  logs: string[];
  queue(name: string): FlakyQueueObject;
  stop(): Promise<void>;
}

export async function startFlakyWorker(): Promise<FlakyWorker> {
  const dir = mkdtempSync(join(tmpdir(), "sluice-flaky-"));
  const logs: string[] = [];
  const mf: Miniflare = await startTestWorker(dir, {
    entry: "tests/e2e/resilience/flaky-worker.mjs",
    onLog: (line) => logs.push(line),
  });
  const url = await mf.ready;
  const ns = await mf.getDurableObjectNamespace("QUEUE");
  return {
    endpoint: url.origin,
    logs,
    queue: (name) => ns.get(ns.idFromName(`${MAIN_KEY.accountId}/${name}`)) as unknown as FlakyQueueObject,
    async stop() {
      await mf.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
