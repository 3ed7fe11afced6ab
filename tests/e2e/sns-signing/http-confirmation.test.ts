/**
 * The Worker POSTs SNS's confirmation messages to a local HTTP server as SNS posts them: the
 * test-only hook in tests/instrumented/sns-hooks-worker.ts builds, signs and delivers one with
 * the deployed modules (durable-objects/topic/http-delivery.ts), and the server, like a
 * subscriber, checks the headers and verifies the signature with the served certificate. The
 * server's answers decide whether the delivery counts as done, failed for good, or to retry.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../local-server.js";
import { startTestWorker } from "../test-worker.js";
import { certificateAt, verifies, type Envelope } from "./message-validator.js";

const TOPIC = "arn:aws:sns:us-east-1:000000000000:orders";
const SUBSCRIPTION = `${TOPIC}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55`;
const TOKEN = "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92";

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let dir: string;
let mf: Miniflare;
let worker: string;
let server: Server;
let subscriber: string;
const received: Received[] = [];
/** What the subscriber answers next: a status, or "hang" to answer nothing. */
let answer: number | "hang" = 200;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sluice-sns-http-"));
  mf = await startTestWorker(dir, { entry: "tests/instrumented/sns-hooks-worker.ts" });
  worker = (await mf.ready).origin;
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (answer === "hang") return; // the connection stays open, unanswered
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  subscriber = `http://127.0.0.1:${(server.address() as { port: number }).port}/sns/hook?via=sluice`;
});

afterAll(async () => {
  server?.closeAllConnections();
  server?.close();
  await mf?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

interface Confirm {
  type?: "SubscriptionConfirmation" | "UnsubscribeConfirmation";
  endpoint?: string;
  signatureVersion?: "1" | "2";
  timeoutMs?: number;
}

interface DeliveryResult {
  ok: boolean;
  retryable: boolean;
  status?: number;
  error?: string;
}

async function confirm(options: Confirm = {}): Promise<DeliveryResult> {
  const type = options.type ?? "SubscriptionConfirmation";
  const response = await fetch(`${worker}/__test/sns/confirm`, {
    method: "POST",
    body: JSON.stringify({
      endpoint: options.endpoint ?? subscriber,
      type,
      topicArn: TOPIC,
      ...(type === "UnsubscribeConfirmation" && { subscriptionArn: SUBSCRIPTION }),
      token: TOKEN,
      signatureVersion: options.signatureVersion ?? "1",
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as DeliveryResult;
}

describe("a SubscriptionConfirmation posted to an HTTP endpoint", () => {
  for (const version of ["1", "2"] as const) {
    it(`arrives with SNS's headers and a SignatureVersion ${version} signature the subscriber verifies`, async () => {
      answer = 200;
      received.length = 0;
      expect(await confirm({ signatureVersion: version })).toEqual({ ok: true, retryable: false, status: 200 });
      expect(received).toHaveLength(1);
      const post = received[0]!;
      expect(post.method).toBe("POST");
      expect(post.url).toBe("/sns/hook?via=sluice");
      expect(post.headers["content-type"]).toBe("text/plain; charset=UTF-8");
      expect(post.headers["x-amz-sns-message-type"]).toBe("SubscriptionConfirmation");
      expect(post.headers["x-amz-sns-topic-arn"]).toBe(TOPIC);
      expect(post.headers["x-amz-sns-subscription-arn"]).toBeUndefined();
      expect(post.headers["user-agent"]).toBe("Amazon Simple Notification Service Agent");

      const envelope = JSON.parse(post.body) as Envelope;
      expect(post.headers["x-amz-sns-message-id"]).toBe(envelope.MessageId);
      expect(envelope.Type).toBe("SubscriptionConfirmation");
      expect(envelope.Token).toBe(TOKEN);
      expect(envelope.SignatureVersion).toBe(version);
      expect(envelope.Message).toBe(`You have chosen to subscribe to the topic ${TOPIC}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`);
      const subscribeUrl = new URL(envelope.SubscribeURL!);
      expect(subscribeUrl.origin).toBe(worker);
      expect(subscribeUrl.searchParams.get("Action")).toBe("ConfirmSubscription");
      expect(subscribeUrl.searchParams.get("TopicArn")).toBe(TOPIC);
      expect(subscribeUrl.searchParams.get("Token")).toBe(TOKEN);
      expect(envelope.SigningCertURL!.startsWith(`${worker}/SimpleNotificationService-`)).toBe(true);
      expect(verifies(envelope, await certificateAt(envelope.SigningCertURL!))).toBe(true);
    });
  }

  it("as an UnsubscribeConfirmation names the subscription, in its header and its text", async () => {
    answer = 200;
    received.length = 0;
    expect((await confirm({ type: "UnsubscribeConfirmation", signatureVersion: "2" })).ok).toBe(true);
    const post = received[0]!;
    expect(post.headers["x-amz-sns-message-type"]).toBe("UnsubscribeConfirmation");
    expect(post.headers["x-amz-sns-subscription-arn"]).toBe(SUBSCRIPTION);
    const envelope = JSON.parse(post.body) as Envelope;
    expect(envelope.Message).toContain(`You have chosen to deactivate subscription ${SUBSCRIPTION}.`);
    expect(verifies(envelope, await certificateAt(envelope.SigningCertURL!))).toBe(true);
  });
});

describe("the endpoint's answer", () => {
  it("decides: a 500 is retried, a 404 is not", async () => {
    answer = 500;
    expect(await confirm()).toEqual({ ok: false, retryable: true, status: 500 });
    answer = 404;
    expect(await confirm()).toEqual({ ok: false, retryable: false, status: 404 });
  });

  it("that never comes is a failed attempt once the timeout passes", async () => {
    answer = "hang";
    const started = Date.now();
    const result = await confirm({ timeoutMs: 1_000 });
    expect(result).toEqual({ ok: false, retryable: true, error: "no answer within the timeout" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    answer = 200;
  });

  it("from an address nothing listens on is a failed attempt to retry", async () => {
    const port = await freePort();
    const result = await confirm({ endpoint: `http://127.0.0.1:${port}/` });
    expect(result.ok).toBe(false);
    expect(result.retryable).toBe(true);
    expect(result.error).toBeTruthy();
  });
});
