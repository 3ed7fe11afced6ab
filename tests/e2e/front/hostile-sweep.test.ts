/**
 * The hostile sweep: everything in hostile-cases.ts, and long polls interrupted every way
 * (the client leaving, the queue purged or deleted under waiting polls), fired at a real
 * `npm start`. Every request gets an answer, each a 2xx or a 4xx (a 100 Continue before it
 * aside), the server logs no failure of its own or the Worker's, and afterwards it still serves
 * an ordinary send and receive.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, describe, expect, it } from "vitest";
import { README_KEY } from "../../keys.js";
import { freePort, READY_TIMEOUT_MS, runningServers, sqsClient, startDev, stopDev, STOP_TIMEOUT_MS } from "../local-server.js";
import { rawRequest, signedRaw, type RawAnswer } from "../raw-http.js";
import { rawCases, signedCases } from "./hostile-cases.js";

/** What is wrong with an answer, if anything: none at all, a 5xx, or no final 2xx/4xx. */
function fault(answer: RawAnswer): string | undefined {
  if (answer.statuses.length === 0) return `no answer (${answer.error ?? "closed"})`;
  if (answer.statuses.some((status) => status >= 500)) return `answered ${answer.statuses.join(", ")}`;
  const last = answer.statuses.at(-1)!;
  if (last < 200 || (last >= 300 && last < 400)) return `ended with ${last}`;
  return undefined;
}

describe("npm start under a hostile sweep", () => {
  const stateDir = mkdtempSync(join(tmpdir(), "sluice-hostile-"));

  afterAll(async () => {
    for (const child of runningServers()) await stopDev(child);
    rmSync(stateDir, { recursive: true, force: true });
  }, STOP_TIMEOUT_MS * 2);

  it(
    "answers every hostile request with a 2xx or a 4xx, and keeps serving",
    async () => {
      const port = await freePort();
      const server = await startDev(port, stateDir);
      const sqs = sqsClient(server.endpoint);
      const queue = `sweep-${Date.now().toString(36)}`;
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: queue }));
      await sqs.send(new CreateQueueCommand({ QueueName: `${queue}.fifo`, Attributes: { FifoQueue: "true" } }));
      const queuePath = new URL(QueueUrl!).pathname;
      const signed = (method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer) =>
        signedRaw(port, README_KEY, method, path, headers, body, ["Connection: close"]);
      const faults: string[] = [];
      const check = (name: string, answer: RawAnswer) => {
        const problem = fault(answer);
        if (problem) faults.push(`${name}: ${problem}`);
      };

      for (const [name, raw, options] of rawCases(port, queuePath)) {
        check(`raw ${name}`, await rawRequest(port, raw, options));
      }
      for (const { name, method, path, headers, body } of signedCases(server.endpoint, queue)) {
        check(name, await rawRequest(port, await signed(method, path, headers, body)));
      }

      // Long polls in all three protocols, interrupted by a purge and then by the queue's deletion.
      const jsonHeaders = (target: string) => ({ "content-type": "application/x-amz-json-1.0", "x-amz-target": `AmazonSQS.${target}` });
      const form = { "content-type": "application/x-www-form-urlencoded" };
      const polls = (name: string) =>
        Promise.all([
          signed("POST", "/", jsonHeaders("ReceiveMessage"), JSON.stringify({ QueueUrl: `${server.endpoint}/000000000000/${name}`, WaitTimeSeconds: 4 })),
          signed("POST", `/000000000000/${name}`, form, "Action=ReceiveMessage&WaitTimeSeconds=4"),
          signed("GET", `/v1/queues/${name}/messages?wait=4`),
        ]);
      const interrupted = async (target: "PurgeQueue" | "DeleteQueue") => {
        const name = `${queue}-lp-${target.toLowerCase()}`;
        await sqs.send(new CreateQueueCommand({ QueueName: name }));
        const waiting = (await polls(name)).map((raw) => rawRequest(port, raw));
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const url = `${server.endpoint}/000000000000/${name}`;
        check(`${target} under waiting polls`, await rawRequest(port, await signed("POST", "/", jsonHeaders(target), JSON.stringify({ QueueUrl: url }))));
        (await Promise.all(waiting)).forEach((answer, i) => check(`long poll ${i} across ${target}`, answer));
      };
      await interrupted("PurgeQueue");
      await interrupted("DeleteQueue");

      // Clients that leave their long polls: 21 of them, in every protocol, then a message
      // that must go to the next poll, not to one of the departed.
      const leaving = `${queue}-lp-leaving`;
      const { QueueUrl: leavingUrl } = await sqs.send(new CreateQueueCommand({ QueueName: leaving }));
      const departures: Promise<RawAnswer>[] = [];
      for (let i = 0; i < 7; i++) {
        for (const raw of await polls(leaving)) departures.push(rawRequest(port, raw, { leaveAfterMs: 500 + i * 50 }));
      }
      for (const answer of await Promise.all(departures)) {
        // Whatever the client saw before it left (the 200 a poll commits before it waits), no 5xx.
        if (answer.statuses.some((status) => status >= 500)) faults.push(`departed long poll: ${answer.statuses.join(", ")}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await sqs.send(new SendMessageCommand({ QueueUrl: leavingUrl, MessageBody: "for whoever is still here" }));
      const after = await sqs.send(new ReceiveMessageCommand({ QueueUrl: leavingUrl, WaitTimeSeconds: 2 }));
      expect(after.Messages?.map((m) => m.Body)).toEqual(["for whoever is still here"]);

      expect(faults).toEqual([]);
      // Still serving, as usual.
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "business as usual" }));
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 2, MaxNumberOfMessages: 10 }));
      expect(Messages?.map((m) => m.Body)).toContain("business as usual");
      sqs.destroy();
      // Neither the front nor the Worker logged a failure of its own (nor a throttle).
      expect(server.output()).not.toMatch(/request \S+ failed/);
      expect(server.output()).not.toMatch(/"event":"(?:failed|throttled)"/);
      expect(await stopDev(server.process), "processes that ignored SIGTERM").toEqual([]);
    },
    READY_TIMEOUT_MS + STOP_TIMEOUT_MS + 180_000,
  );
});
