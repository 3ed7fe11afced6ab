/**
 * A subscriber's check of an SNS signature, end to end: the Worker signs a message
 * (through the test-only hook in tests/instrumented/sns-hooks-worker.ts, which calls the
 * deployed signing code), the certificate is fetched from SigningCertURL without credentials,
 * and Node's crypto verifies the signature over the string to sign rebuilt from the JSON
 * envelope, as the AWS SDKs' SNS message validators rebuild it (message-validator.ts).
 */
import { createHash, X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startTestWorker } from "../test-worker.js";
import { certificateAt, verifies, type Envelope } from "./message-validator.js";

const ENTRY = "tests/instrumented/sns-hooks-worker.ts";
const TOPIC = "arn:aws:sns:us-east-1:000000000000:orders";

let dir: string;
let mf: Miniflare | undefined;
let endpoint: string;

async function start(): Promise<void> {
  mf = await startTestWorker(dir, { entry: ENTRY });
  endpoint = (await mf.ready).origin;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sluice-sns-signing-"));
  await start();
});

afterAll(async () => {
  await mf?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function signed(fields: Record<string, string>, signatureVersion: "1" | "2"): Promise<Envelope> {
  const response = await fetch(`${endpoint}/__test/sns/sign`, { method: "POST", body: JSON.stringify({ fields, signatureVersion }) });
  expect(response.status).toBe(200);
  // Parsed from the text a subscriber receives: JSON escapes (\n, \u00e9) come back as the characters signed.
  return JSON.parse(await response.text()) as Envelope;
}

const notification = {
  Type: "Notification",
  MessageId: "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
  TopicArn: TOPIC,
  Subject: "Order placed",
  Message: '{"order":42,"note":"line one\nline two, café"}',
  Timestamp: "2026-12-06T18:30:05.123Z",
};
const confirmation = {
  Type: "SubscriptionConfirmation",
  MessageId: "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
  Token: "2336412f37fb687f5d51e6e241d09c80",
  TopicArn: TOPIC,
  Message: `You have chosen to subscribe to the topic ${TOPIC}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
  SubscribeURL: `http://127.0.0.1/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=2336412f37fb687f5d51e6e241d09c80`,
  Timestamp: "2026-12-06T18:30:05.456Z",
};

describe("a notification signed by the Worker", () => {
  for (const version of ["1", "2"] as const) {
    it(`verifies with the served certificate for SignatureVersion ${version}`, async () => {
      const envelope = await signed(notification, version);
      expect(envelope.SigningCertURL).toMatch(new RegExp(`^${endpoint}/SimpleNotificationService-[0-9a-f]{32}\\.pem$`));
      const certificate = await certificateAt(envelope.SigningCertURL!);
      expect(verifies(envelope, certificate)).toBe(true);
      expect(verifies({ ...envelope, Message: `${envelope.Message} ` }, certificate)).toBe(false);
      expect(verifies({ ...envelope, Subject: "Order cancelled" }, certificate)).toBe(false);
    });
  }

  it("without a Subject verifies too, the Subject line left out", async () => {
    const { Subject: _, ...withoutSubject } = notification;
    const envelope = await signed(withoutSubject, "2");
    expect(envelope).not.toHaveProperty("Subject");
    expect(verifies(envelope, await certificateAt(envelope.SigningCertURL!))).toBe(true);
  });

  for (const type of ["SubscriptionConfirmation", "UnsubscribeConfirmation"]) {
    it(`as a ${type} signs its SubscribeURL and Token`, async () => {
      for (const version of ["1", "2"] as const) {
        const envelope = await signed({ ...confirmation, Type: type }, version);
        const certificate = await certificateAt(envelope.SigningCertURL!);
        expect(verifies(envelope, certificate)).toBe(true);
        expect(verifies({ ...envelope, Token: "0000" }, certificate)).toBe(false);
        expect(verifies({ ...envelope, SubscribeURL: `${envelope.SubscribeURL}0` }, certificate)).toBe(false);
      }
    });
  }
});

describe("the served certificate", () => {
  it("is a valid self-signed RSA 2048 certificate, valid now and for years, named by its own hash", async () => {
    const envelope = await signed(notification, "2");
    const response = await fetch(envelope.SigningCertURL!);
    expect(response.headers.get("content-type")).toBe("application/x-x509-ca-cert");
    const certificate = new X509Certificate(await response.text());
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(certificate.issuer).toBe(certificate.subject);
    expect(certificate.ca).toBe(false);
    expect(certificate.publicKey.asymmetricKeyType).toBe("rsa");
    expect(certificate.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(certificate.subject).toContain("CN=Sluice SNS message signing");
    expect(new Date(certificate.validFrom).getTime()).toBeLessThan(Date.now());
    expect(new Date(certificate.validTo).getTime()).toBeGreaterThan(Date.now() + 10 * 365 * 24 * 3600 * 1000);
    const id = createHash("sha256").update(certificate.raw).digest("hex").slice(0, 32);
    expect(envelope.SigningCertURL).toBe(`${endpoint}/SimpleNotificationService-${id}.pem`);
  });

  it("is answered for its own id only, and only to GET: other paths and methods still need a signature", async () => {
    const envelope = await signed(notification, "2");
    const other = envelope.SigningCertURL!.replace(/-[0-9a-f]{32}\.pem$/, `-${"0".repeat(32)}.pem`);
    expect((await fetch(other)).status).toBe(404);
    const post = await fetch(envelope.SigningCertURL!, { method: "POST", headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.ListQueues" }, body: "{}" });
    expect(post.status).toBe(403);
    const nested = await fetch(`${endpoint}/000000000000/q${new URL(envelope.SigningCertURL!).pathname}`);
    expect(nested.status).not.toBe(200);
  });

  it("stays the same after the Worker restarts: the key is kept, not made again", async () => {
    const before = (await signed(notification, "1")).SigningCertURL!;
    await mf!.dispose();
    mf = undefined;
    await start();
    const after = await signed(notification, "1");
    expect(new URL(after.SigningCertURL!).pathname).toBe(new URL(before).pathname);
    expect(verifies(after, await certificateAt(after.SigningCertURL!))).toBe(true);
  });
});

describe("the deployed Worker", () => {
  it("serves the certificate path without a signature: an unknown id is a 404, not a refusal", async () => {
    const response = await fetch(`${inject("endpoint")}/SimpleNotificationService-${"0".repeat(32)}.pem`);
    expect(response.status).toBe(404);
  });

  it("has no signing hook: the test route is an unsigned SQS request to it", async () => {
    const response = await fetch(`${inject("endpoint")}/__test/sns/sign`, {
      method: "POST",
      body: JSON.stringify({ fields: notification, signatureVersion: "2" }),
    });
    expect(response.status).toBe(403);
  });
});
