/**
 * The promise for local development: `npm start` serves queues the AWS SDK can use, and
 * what it stored survives a restart. This runs the real `npm start` (local/server.mjs), twice, on a
 * free port and with its state in a temporary directory instead of the developer's
 * .wrangler/state (the start script reads SLUICE_PORT and SLUICE_STATE_DIR for that).
 * Starting and stopping it is local-server.ts's job.
 */
import { mkdtempSync, rmSync } from "node:fs";
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
import { head, rawRequest, signedRaw } from "./raw-http.js";

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
    "answers every malformed request, none with a 5xx, and drops none; takes its keys from SLUICE_CREDENTIALS",
    async () => {
      const port = await freePort();
      const server = await startDev(port, stateDir, JSON.stringify(keyMap(MAIN_KEY, OTHER_KEY)));
      expect(server.output()).toMatch(/AUTH: keys from SLUICE_CREDENTIALS \(2 keys\)/);
      const host = `Host: 127.0.0.1:${port}`;
      const form = "Content-Type: application/x-www-form-urlencoded";
      const client = sqsClient(server.endpoint, MAIN_KEY);
      const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: `malformed-${Date.now().toString(36)}` }));
      const queuePath = new URL(QueueUrl!).pathname;

      // Framing errors: Node's parser answers them itself, half-closed or not.
      const framing: Array<[string, string]> = [
        ["short body, then half-close", head(["POST / HTTP/1.1", host, form, "Content-Length: 100"]) + "ab"],
        ["non-numeric Content-Length", head(["POST / HTTP/1.1", host, form, "Content-Length: abc"]) + "ab"],
        ["negative Content-Length", head(["POST / HTTP/1.1", host, form, "Content-Length: -5"]) + "ab"],
        ["duplicate Content-Length", head(["POST / HTTP/1.1", host, form, "Content-Length: 2", "Content-Length: 5"]) + "ab"],
        ["Host with a path", head(["GET / HTTP/1.1", "Host: 127.0.0.1/evil", "Connection: close"])],
      ];
      for (const [name, raw] of framing) {
        const answer = await rawRequest(port, raw, { halfClose: true });
        expect(answer.statuses, `${name}: ${answer.text.split("\r\n")[0]}`).toEqual([400]);
      }

      // A body far past the Worker's 4 MiB limit: the Worker's 400 every time, declared or chunked,
      // and the connection is not reset under it (the front got ECONNRESET and answered 502).
      const big = Buffer.alloc(10 * 1024 * 1024, "a");
      const declared = Buffer.concat([
        Buffer.from(head([`POST ${queuePath} HTTP/1.1`, host, form, `Content-Length: ${big.length}`, "Connection: close"])),
        big,
      ]);
      const chunked = Buffer.concat([
        Buffer.from(head([`POST ${queuePath} HTTP/1.1`, host, form, "Transfer-Encoding: chunked", "Connection: close"])),
        Buffer.from(`${big.length.toString(16)}\r\n`),
        big,
        Buffer.from("\r\n0\r\n\r\n"),
      ]);
      for (const [name, raw] of [["declared", declared], ["chunked", chunked], ["declared", declared], ["chunked", chunked]] as const) {
        const answer = await rawRequest(port, raw);
        expect(answer.statuses, `10 MiB ${name}`).toEqual([400]);
        expect(answer.error, `10 MiB ${name}`).toBeUndefined();
        expect(answer.body).toContain("<Code>InvalidParameterValue</Code><Message>The request body is larger than 4194304 bytes.</Message>");
        expect(answer.headers["x-amzn-requestid"]).toMatch(/^[0-9a-f-]{36}$/);
      }

      // `//` is a path like any other: the Worker answers it (a signed Query request without an Action).
      const slashes = await rawRequest(port, await signedRaw(port, MAIN_KEY, "GET", "//", {}, undefined, ["Connection: close"]));
      expect(slashes.statuses).toEqual([400]);
      expect(slashes.body).toContain("<Code>MissingAction</Code>");
      // A Host no URL can be made of: the front's own 400, SQS-shaped, with a request id.
      for (const badHost of ["Host: a b", "Host: [::1", "Host: 127.0.0.1:99999"]) {
        const answer = await rawRequest(port, head(["GET / HTTP/1.1", badHost, "Connection: close"]));
        expect(answer.statuses, badHost).toEqual([400]);
        expect(answer.body, badHost).toContain("<Code>InvalidParameterValue</Code>");
        expect(answer.body, badHost).toContain(`<RequestId>${answer.headers["x-amzn-requestid"]}</RequestId>`);
      }

      // TRACE and CONNECT, which undici will not send: refused as not allowed, in the path's protocol.
      const trace = await rawRequest(port, await signedRaw(port, MAIN_KEY, "TRACE", "/", {}, undefined, ["Connection: close"]));
      expect(trace.statuses).toEqual([405]);
      expect(trace.headers.allow).toBe("GET, POST");
      expect(trace.body).toContain("<Code>MethodNotAllowed</Code>");
      const traceJson = await rawRequest(port, head(["TRACE / HTTP/1.1", host, "X-Amz-Target: AmazonSQS.ListQueues", "Connection: close"]));
      expect(traceJson.statuses).toEqual([405]);
      expect(JSON.parse(traceJson.body)).toMatchObject({ __type: "com.amazonaws.sqs#MethodNotAllowed" });
      const traceRest = await rawRequest(port, head(["TRACE /v1/queues HTTP/1.1", host, "Connection: close"]));
      expect(traceRest.statuses).toEqual([405]);
      expect(traceRest.headers.allow).toBe("GET, POST");
      expect(JSON.parse(traceRest.body)).toEqual({
        error: { code: "MethodNotAllowed", message: "TRACE is not allowed on /v1/queues. Allowed: GET, POST." },
      });
      const connectAnswer = await rawRequest(port, head([`CONNECT 127.0.0.1:443 HTTP/1.1`, host]));
      expect(connectAnswer.statuses).toEqual([405]);
      expect(connectAnswer.body).toContain("<Code>MethodNotAllowed</Code>");

      // A signed Query request to a queue URL whose form holds bytes that are not UTF-8: the
      // Worker's 400, whether the client waits or half-closes (it was a 502, or no answer at all).
      const notUtf8 = Buffer.concat([Buffer.from("Action=SendMessage&MessageBody=a"), Buffer.from([0xff, 0xfe, 0xc3])]);
      for (const halfClose of [false, true]) {
        const raw = await signedRaw(port, MAIN_KEY, "POST", queuePath, { "content-type": "application/x-www-form-urlencoded" }, notUtf8);
        const answer = await rawRequest(port, raw, { halfClose });
        expect(answer.statuses, `half-close ${halfClose}`).toEqual([400]);
        expect(answer.body).toContain("<Code>MalformedQueryString</Code><Message>The request body is not valid UTF-8.</Message>");
      }

      // With keys configured, the local pair is just an unknown key.
      const local = sqsClient(server.endpoint);
      await expect(local.send(new ListQueuesCommand({}))).rejects.toMatchObject({ name: "InvalidClientTokenId" });
      local.destroy();
      await client.send(new SendMessageCommand({ QueueUrl, MessageBody: "still here" }));
      const { Messages } = await client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
      expect(Messages?.map((m) => m.Body)).toEqual(["still here"]);
      client.destroy();
      expect(server.output()).not.toMatch(/request .* failed|"event":"failed"/);
      expect(await stopDev(server.process), "processes that ignored SIGTERM").toEqual([]);
    },
    READY_TIMEOUT_MS + STOP_TIMEOUT_MS + 60_000,
  );
});
