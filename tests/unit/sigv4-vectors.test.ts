/**
 * The verifier against the published AWS SigV4 test suite (aws-sig-v4-test-suite, signed
 * 20150830T123600Z for service `service` in us-east-1 with the documentation key), and against
 * the ways a request can be broken: each tampered copy of a vector must fail.
 */
import { describe, expect, it } from "vitest";
import { readSignatureClaim } from "../../worker/auth/signed-request.js";
import { verifySignature } from "../../worker/auth/verify-signature.js";
import type { AccessKey } from "../../worker/auth/credentials.js";

const KEY: AccessKey = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
  accountId: "000000000000",
};
const DATE = "20150830T123600Z";
const SIGNED_AT = Date.UTC(2015, 7, 30, 12, 36, 0);
const SCOPE = "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request";

interface Vector {
  name: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  signedHeaders: string;
  signature: string;
}

const VECTORS: Vector[] = [
  {
    name: "get-vanilla",
    method: "GET",
    url: "https://example.amazonaws.com/",
    signedHeaders: "host;x-amz-date",
    signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
  },
  {
    name: "post-vanilla",
    method: "POST",
    url: "https://example.amazonaws.com/",
    signedHeaders: "host;x-amz-date",
    signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
  },
  {
    name: "get-vanilla-query-order-key-case",
    method: "GET",
    url: "https://example.amazonaws.com/?Param2=value2&Param1=value1",
    signedHeaders: "host;x-amz-date",
    signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
  },
  {
    name: "get-vanilla-empty-query-key",
    method: "GET",
    url: "https://example.amazonaws.com/?Param1=value1",
    signedHeaders: "host;x-amz-date",
    signature: "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb",
  },
  {
    name: "post-x-www-form-urlencoded",
    method: "POST",
    url: "https://example.amazonaws.com/",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "Param1=value1",
    signedHeaders: "content-type;host;x-amz-date",
    signature: "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
  },
];

function request(vector: Vector, change: Partial<Vector> = {}) {
  const v = { ...vector, ...change };
  const headers = new Headers({
    host: new URL(v.url).host,
    "x-amz-date": DATE,
    ...v.headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${SCOPE}, SignedHeaders=${v.signedHeaders}, Signature=${v.signature}`,
  });
  const url = new URL(v.url);
  return { method: v.method, url, headers, body: new TextEncoder().encode(v.body ?? "") };
}

async function verify(signed: ReturnType<typeof request>, now = SIGNED_AT, key = KEY) {
  const claim = readSignatureClaim(new Request(signed.url, { method: signed.method, headers: signed.headers }), signed.url);
  await verifySignature(claim, key, signed, now, "service");
}

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: { code?: string; message?: string }) => ({ code: error.code, message: error.message }),
  );

describe("SigV4 test-suite vectors", () => {
  for (const vector of VECTORS) {
    it(`accepts ${vector.name}`, async () => {
      await expect(verify(request(vector))).resolves.toBeUndefined();
    });
  }

  it("rejects a vector whose body, query, path, method or signed header was changed", async () => {
    const form = VECTORS.find((v) => v.name === "post-x-www-form-urlencoded")!;
    const query = VECTORS.find((v) => v.name === "get-vanilla-query-order-key-case")!;
    const tampered = [
      request(form, { body: "Param1=value2" }),
      request(form, { headers: { "content-type": "text/plain" } }),
      request(query, { url: "https://example.amazonaws.com/?Param2=value2&Param1=value9" }),
      request(query, { url: "https://example.amazonaws.com/other?Param2=value2&Param1=value1" }),
      request(form, { method: "PUT" }),
      request(query, { url: "https://attacker.example.com/?Param2=value2&Param1=value1" }),
    ];
    for (const signed of tampered) {
      expect(await rejection(verify(signed))).toMatchObject({ code: "SignatureDoesNotMatch" });
    }
  });

  it("rejects the right request signed with another secret", async () => {
    const wrong = { ...KEY, secretAccessKey: "not-the-secret" };
    expect(await rejection(verify(request(VECTORS[0]!), SIGNED_AT, wrong))).toMatchObject({
      code: "SignatureDoesNotMatch",
    });
  });

  it("allows 15 minutes of clock skew either way and no more, with AWS's message", async () => {
    const vector = request(VECTORS[0]!);
    const minute = 60_000;
    await expect(verify(vector, SIGNED_AT + 15 * minute)).resolves.toBeUndefined();
    await expect(verify(vector, SIGNED_AT - 15 * minute)).resolves.toBeUndefined();
    expect(await rejection(verify(vector, SIGNED_AT + 15 * minute + 1000))).toEqual({
      code: "SignatureDoesNotMatch",
      message: "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T125101Z - 15 min.)",
    });
    expect(await rejection(verify(vector, SIGNED_AT - 16 * minute))).toMatchObject({
      code: "SignatureDoesNotMatch",
      message: expect.stringMatching(/^Signature not yet current: 20150830T123600Z is still later than/),
    });
  });

  it("rejects a credential scoped to another service or another day", async () => {
    const vector = VECTORS[0]!;
    const signed = request(vector);
    const sqsScope = signed.headers.get("authorization")!.replace("/service/", "/sqs/");
    signed.headers.set("authorization", sqsScope);
    expect(await rejection(verify(signed))).toMatchObject({
      code: "SignatureDoesNotMatch",
      message: expect.stringContaining("Credential should be scoped to correct service: 'service'"),
    });
    const otherDay = request(vector);
    otherDay.headers.set("authorization", otherDay.headers.get("authorization")!.replace("/20150830/", "/20150831/"));
    expect(await rejection(verify(otherDay))).toMatchObject({
      code: "SignatureDoesNotMatch",
      message: expect.stringContaining("Date in Credential scope does not match"),
    });
  });

  it("answers IncompleteSignature for an Authorization header without a Signature", async () => {
    const signed = request(VECTORS[0]!);
    signed.headers.set("authorization", `AWS4-HMAC-SHA256 Credential=${SCOPE}, SignedHeaders=host;x-amz-date`);
    expect(await rejection(verify(signed))).toMatchObject({
      code: "IncompleteSignature",
      message: expect.stringContaining("Authorization header requires 'Signature' parameter."),
    });
  });
});
