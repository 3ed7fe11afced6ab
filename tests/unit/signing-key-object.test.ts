/**
 * The deployment's signing key (durable-objects/signing/): made once and kept, the same for
 * calls that race to make it, and certified by a self-signed certificate its own key signed.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CERTIFICATE_SUBJECT } from "../../durable-objects/signing/signing-key.js";
import { SIGNING_KEY_OBJECT_NAME, type SigningKeyObject } from "../../durable-objects/signing/signing-key-object.js";
import { certificateId, certificatePath, requestedCertificateId, signingMaterial } from "../../durable-objects/signing/signing-material.js";
import { publicKeyOf } from "./signing-public-key.js";

const stub = () => env.SIGNING.get(env.SIGNING.idFromName(SIGNING_KEY_OBJECT_NAME));
const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i]);

/** Where the DER element at `offset` ends. */
function elementEnd(der: Uint8Array, offset: number): number {
  const first = der[offset + 1]!;
  if (first < 0x80) return offset + 2 + first;
  const count = first & 0x7f;
  const length = der.subarray(offset + 2, offset + 2 + count).reduce((sum, byte) => sum * 256 + byte, 0);
  return offset + 2 + count + length;
}

/** The certificate's TBSCertificate (the outer SEQUENCE's first element) and its signature (an RSA 2048 one ends it). */
function splitCertificate(der: Uint8Array): { tbs: Uint8Array; signature: Uint8Array } {
  expect(der[0]).toBe(0x30);
  expect(elementEnd(der, 0)).toBe(der.length);
  const tbsStart = der[1]! < 0x80 ? 2 : 2 + (der[1]! & 0x7f);
  return { tbs: der.subarray(tbsStart, elementEnd(der, tbsStart)), signature: der.subarray(der.length - 256) };
}

describe("the signing key object", () => {
  it("makes one key and answers it again, also to calls that race while it is made", async () => {
    const fresh = env.SIGNING.get(env.SIGNING.idFromName("race-probe"));
    const [a, b, c] = await Promise.all([fresh.signingKey(), fresh.signingKey(), fresh.signingKey()]);
    expect(same(a.privateKey, b.privateKey) && same(b.privateKey, c.privateKey)).toBe(true);
    expect(same(a.certificate, c.certificate)).toBe(true);
    const again = await fresh.signingKey();
    expect(same(again.certificate, a.certificate)).toBe(true);
  });

  it("keeps the key in the object's durable storage", async () => {
    const first = await stub().signingKey();
    const stored = await runInDurableObject(stub(), async (_object: SigningKeyObject, state) => state.storage.get<{ certificate: Uint8Array }>("signing-key"));
    expect(stored && same(stored.certificate, first.certificate)).toBe(true);
  });

  it("certifies the key with a certificate the key itself signed", async () => {
    const { certificate } = await stub().signingKey();
    const { tbs, signature } = splitCertificate(certificate);
    const key = await publicKeyOf(env, "SHA-256");
    expect(await crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, signature, tbs)).toBe(true);
    const text = new TextDecoder("latin1").decode(certificate);
    expect(text).toContain(CERTIFICATE_SUBJECT.commonName);
  });
});

describe("the signing material a Worker isolate caches", () => {
  it("names the certificate by 32 hex digits of its hash and serves it at that path", async () => {
    const material = await signingMaterial(env);
    const { certificate } = await stub().signingKey();
    expect(material.certificateId).toMatch(/^[0-9a-f]{32}$/);
    expect(material.certificateId).toBe(await certificateId(certificate));
    expect(certificatePath(material)).toBe(`/SimpleNotificationService-${material.certificateId}.pem`);
    expect(requestedCertificateId(certificatePath(material))).toBe(material.certificateId);
    expect(material.certificatePem.startsWith("-----BEGIN CERTIFICATE-----\n")).toBe(true);
    expect(await signingMaterial(env)).toBe(material);
  });

  it("recognises only the exact certificate path", () => {
    const id = "0123456789abcdef0123456789abcdef";
    expect(requestedCertificateId(`/SimpleNotificationService-${id}.pem`)).toBe(id);
    for (const path of [`/SimpleNotificationService-${id}.pem/`, `/x/SimpleNotificationService-${id}.pem`, `/SimpleNotificationService-${id.toUpperCase()}.pem`, "/SimpleNotificationService-0123.pem", `/SimpleNotificationService-${id}.pemx`]) {
      expect(requestedCertificateId(path), path).toBeUndefined();
    }
  });
});
