/**
 * A queue object that restarts while long polls wait on it (a deploy, a crash, an
 * eviction that drops their sockets) loses nothing. The waiting Workers see their sockets close
 * and re-attach; messages sent after the restart reach them, each to one poll, and none is lost
 * or assigned twice. This file starts its own Miniflare with a test-only hook that resets the
 * object (restartable-worker.mjs), so the restart hits only its own queue.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAIN_KEY } from "../../keys.js";
import { startTestWorker } from "../test-worker.js";

const dir = mkdtempSync(join(tmpdir(), "sluice-restart-"));
let mf: Miniflare;
let sqs: SQSClient;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  mf = await startTestWorker(dir, { entry: "tests/e2e/long-poll/restartable-worker.mjs" });
  const url = await mf.ready;
  sqs = new SQSClient({
    endpoint: url.origin,
    region: "us-east-1",
    credentials: { accessKeyId: MAIN_KEY.accessKeyId, secretAccessKey: MAIN_KEY.secretAccessKey },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  sqs?.destroy();
  await mf?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Resets the queue object of `name` (the hook's RPC fails with the abort, as it must). */
async function restartQueueObject(name: string): Promise<void> {
  const ns = await mf.getDurableObjectNamespace("QUEUE");
  const stub = ns.get(ns.idFromName(`${MAIN_KEY.accountId}/${name}`)) as unknown as { restartForTest(): Promise<void> };
  await stub.restartForTest().catch(() => undefined);
}

describe("a queue object restarted while long polls wait", () => {
  it("re-attaches the waiting polls: messages sent after the restart reach them, each once, none lost", async () => {
    const name = `restart-${Date.now().toString(36)}`;
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const started = performance.now();
    const polls = Array.from({ length: 3 }, () =>
      sqs.send(
        new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10, MessageSystemAttributeNames: ["ApproximateReceiveCount"] }),
      ),
    );
    await sleep(500);
    await restartQueueObject(name);
    // Sent at once: the polls may not have re-attached yet, and must still not miss them.
    const Entries = Array.from({ length: 3 }, (_, i) => ({ Id: `m${i}`, MessageBody: `after the restart ${i}` }));
    const sent = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
    const sentAt = performance.now();
    const results = await Promise.all(polls);
    const answeredMs = performance.now() - sentAt;
    const received = results.flatMap((r) => r.Messages ?? []);
    // Every poll was answered by the send, not its 10-second timeout...
    expect(answeredMs).toBeLessThan(2_000);
    expect(performance.now() - started).toBeLessThan(5_000);
    // ...and the three messages went to the three polls, each exactly once.
    expect(received.map((m) => m.MessageId).sort()).toEqual(sent.Successful!.map((s) => s.MessageId).sort());
    expect(results.every((r) => r.Messages?.length === 1)).toBe(true);
    expect(received.map((m) => m.Attributes?.ApproximateReceiveCount)).toEqual(["1", "1", "1"]);
    // Nothing else is left: no message was assigned to a poll that did not return it.
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
    expect(Messages).toBeUndefined();
  });
});
