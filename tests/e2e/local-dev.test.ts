/**
 * Issue 2's promise for local development: `npm start` serves queues the AWS SDK can use, and
 * what it stored survives a restart. This runs the real `npm start` (local/server.mjs), twice, on a
 * free port and with its state in a temporary directory instead of the developer's
 * .wrangler/state (the start script reads SLUICE_PORT and SLUICE_STATE_DIR for that).
 * Starting and stopping it is local-server.ts's job.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateQueueCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { afterAll, describe, expect, it } from "vitest";
import { keyMap, MAIN_KEY, OTHER_KEY } from "../keys.js";
import {
  answersListQueues,
  freePort,
  groupMembers,
  READY_TIMEOUT_MS,
  runningServers,
  sqsClient,
  startDev,
  stopDev,
  STOP_TIMEOUT_MS,
} from "./local-server.js";

describe("npm start (local/server.mjs)", () => {
  const stateDir = mkdtempSync(join(tmpdir(), "sluice-local-dev-"));

  afterAll(async () => {
    for (const child of runningServers()) await stopDev(child);
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
