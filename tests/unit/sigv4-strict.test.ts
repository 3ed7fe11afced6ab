/**
 * The signature parser is as strict as AWS's and reads a request once (worker/auth/signed-request.ts):
 * each way a claim can be ambiguous gets AWS's answer, and the Date header is accepted in place of
 * X-Amz-Date. The canonical request built from the parsed claim is aws4fetch's, request for request.
 */
import { describe, expect, it } from "vitest";
import { AwsV4Signer } from "aws4fetch";
import { canonicalRequest } from "../../worker/auth/canonical-request.js";
import { readSignatureClaim } from "../../worker/auth/signed-request.js";
import { verifySignature } from "../../worker/auth/verify-signature.js";
import type { AccessKey } from "../../worker/auth/credentials.js";

const KEY: AccessKey = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", accountId: "000000000000" };
const NOW = Date.UTC(2026, 11, 6, 16, 0, 0);
const DATETIME = "20261206T160000Z";
const URL_TEXT = "https://sqs.us-east-1.amazonaws.com/000000000000/orders?Action=GetQueueUrl";

interface Signed {
  method: string;
  url: URL;
  headers: Headers;
  body: Uint8Array;
}

/** A request signed by aws4fetch (header or presigned), as the SDKs sign. */
async function signed(options: { url?: string; method?: string; headers?: Record<string, string>; body?: string; presign?: boolean } = {}): Promise<Signed> {
  const body = options.body ?? "";
  const signer = new AwsV4Signer({
    url: options.url ?? URL_TEXT,
    method: options.method ?? "POST",
    headers: options.headers,
    body,
    accessKeyId: KEY.accessKeyId,
    secretAccessKey: KEY.secretAccessKey,
    service: "sqs",
    region: "us-east-1",
    datetime: DATETIME,
    signQuery: options.presign,
  });
  const out = await signer.sign();
  return { method: out.method, url: new URL(out.url), headers: new Headers(out.headers), body: new TextEncoder().encode(body) };
}

async function verify(request: Signed, now = NOW, service = "sqs", key = KEY): Promise<void> {
  const claim = readSignatureClaim(new Request(request.url, { method: request.method, headers: request.headers }), request.url);
  await verifySignature(claim, key, request, now, service);
}

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => "accepted",
    (error: { code?: string; message?: string }) => ({ code: error.code, message: error.message }),
  );

/** The same request with a changed Authorization header. */
function withAuthorization(request: Signed, change: (authorization: string) => string): Signed {
  const headers = new Headers(request.headers);
  headers.set("authorization", change(request.headers.get("authorization")!));
  return { ...request, headers };
}

/** The same request with the Authorization header given twice (a Worker sees them joined by ", "). */
function withSecondAuthorization(request: Signed, second: string, first = false): Signed {
  const headers = new Headers(request.headers);
  const valid = headers.get("authorization")!;
  headers.delete("authorization");
  for (const value of first ? [second, valid] : [valid, second]) headers.append("authorization", value);
  return { ...request, headers };
}

describe("SigV4 parsing: one reading, as strict as AWS", () => {
  it("accepts requests aws4fetch signed, in headers and as presigned URLs", async () => {
    expect(await outcome(verify(await signed({ body: "Action=ListQueues", headers: { "content-type": "application/x-www-form-urlencoded" } })))).toBe("accepted");
    expect(await outcome(verify(await signed({ method: "GET", presign: true })))).toBe("accepted");
  });

  describe("two Authorization headers", () => {
    it("refuses a valid header followed by garbage: IncompleteSignature, AWS's missing equal-sign message", async () => {
      const request = withSecondAuthorization(await signed(), "garbage");
      const joined = request.headers.get("authorization")!;
      expect(joined).toMatch(/Signature=[0-9a-f]{64}, garbage$/);
      expect(await outcome(verify(request))).toEqual({
        code: "IncompleteSignature",
        message: `'garbage' not a valid key=value pair (missing equal-sign) in Authorization header: '${joined}'.`,
      });
    });

    it("refuses garbage followed by a valid header: IncompleteSignature, unsupported algorithm", async () => {
      const request = withSecondAuthorization(await signed(), "garbage", true);
      expect(await outcome(verify(request))).toEqual({
        code: "IncompleteSignature",
        message: "Unsupported AWS 'algorithm': 'garbage,'. Sluice accepts Signature Version 4 (AWS4-HMAC-SHA256) only.",
      });
    });

    it("refuses two valid headers (the second one's parameters repeat the first's)", async () => {
      const request = await signed();
      const twice = withSecondAuthorization(request, request.headers.get("authorization")!);
      expect(await outcome(verify(twice))).toMatchObject({
        code: "IncompleteSignature",
        message: expect.stringMatching(/^'AWS4-HMAC-SHA256' not a valid key=value pair \(missing equal-sign\) in Authorization header: /),
      });
    });
  });

  describe("unknown or repeated Authorization parameters", () => {
    it("refuses an unknown parameter after the signature: IncompleteSignature", async () => {
      const request = withAuthorization(await signed(), (value) => `${value}, X=aaaa`);
      expect(await outcome(verify(request))).toEqual({
        code: "IncompleteSignature",
        message: `'X=aaaa' is not a parameter of a SigV4 Authorization header (Credential, SignedHeaders, Signature) in Authorization header: '${request.headers.get("authorization")}'.`,
      });
    });

    it("refuses text after the signature, with or without a comma", async () => {
      for (const tail of [" aaaa", ", aaaa", " X=aaaa"]) {
        const request = withAuthorization(await signed(), (value) => value + tail);
        expect(await outcome(verify(request))).toMatchObject({ code: "IncompleteSignature" });
      }
    });

    it("refuses a repeated parameter, even with the same value", async () => {
      const request = withAuthorization(await signed(), (value) => `${value}, ${value.match(/Signature=[0-9a-f]+/)![0]}`);
      expect(await outcome(verify(request))).toEqual({
        code: "IncompleteSignature",
        message: `'Signature' appears more than once in Authorization header: '${request.headers.get("authorization")}'.`,
      });
    });

    it("names the first token without '=' as AWS does, for a space inside the credential", async () => {
      const request = withAuthorization(await signed(), (value) => value.replace("Credential=AKIDEXAMPLE", "Credential=AKIDEXAMPLE "));
      expect(await outcome(verify(request))).toMatchObject({
        code: "IncompleteSignature",
        message: expect.stringMatching(/^'\/20261206\/us-east-1\/sqs\/aws4_request' not a valid key=value pair \(missing equal-sign\)/),
      });
    });

    it("lists the missing parameters in AWS's order, ending with the algorithm", async () => {
      const request = await signed();
      request.headers.set("authorization", "AWS4-HMAC-SHA256 Foo=Bar");
      expect((await outcome(verify(request))) as { code: string }).toMatchObject({ code: "IncompleteSignature" });
      request.headers.set("authorization", "AWS4-HMAC-SHA256 ");
      request.headers.delete("x-amz-date");
      expect(await outcome(verify(request))).toEqual({
        code: "IncompleteSignature",
        message:
          "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256",
      });
    });
  });

  describe("SignedHeaders", () => {
    it("refuses a list naming a header the request does not carry: SignatureDoesNotMatch", async () => {
      const request = withAuthorization(await signed(), (value) => value.replace("SignedHeaders=host;x-amz-date", "SignedHeaders=host;x-amz-date;x-extra"));
      expect(request.headers.get("authorization")).toContain("SignedHeaders=host;x-amz-date;x-extra,");
      expect(await outcome(verify(request))).toEqual({
        code: "SignatureDoesNotMatch",
        message:
          "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
      });
    });

    it("refuses a list a signer would not write: unsorted, repeated, upper-case, empty or invalid names", async () => {
      for (const list of ["x-amz-date;host", "host;host;x-amz-date", "Host;x-amz-date", "host;;x-amz-date", "host;x:amz;x-amz-date"]) {
        const request = withAuthorization(await signed(), (value) => value.replace("SignedHeaders=host;x-amz-date", `SignedHeaders=${list}`));
        expect(await outcome(verify(request)), list).toMatchObject({ code: "SignatureDoesNotMatch" });
      }
    });

    it("still requires host, with AWS's message", async () => {
      const request = withAuthorization(await signed(), (value) => value.replace("SignedHeaders=host;x-amz-date", "SignedHeaders=x-amz-date"));
      expect(await outcome(verify(request))).toEqual({
        code: "SignatureDoesNotMatch",
        message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
      });
    });
  });

  describe("presigned URLs", () => {
    const AUTH_PARAMETERS = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token"];

    for (const name of AUTH_PARAMETERS) {
      it(`refuses ${name} given twice: IncompleteSignature`, async () => {
        const request = await signed({ method: "GET", presign: true, url: `${URL_TEXT}&X-Amz-Expires=300` });
        const value = request.url.searchParams.get(name) ?? "token";
        request.url.searchParams.append(name, value);
        if (name === "X-Amz-Security-Token") request.url.searchParams.append(name, value);
        expect(await outcome(verify(request))).toEqual({
          code: "IncompleteSignature",
          message: `AWS query-string parameters must include '${name}' only once. Re-examine the query-string parameters.`,
        });
      });
    }

    it("refuses a second X-Amz-Signature placed before the valid one", async () => {
      const request = await signed({ method: "GET", presign: true });
      const valid = request.url.searchParams.get("X-Amz-Signature")!;
      request.url.searchParams.delete("X-Amz-Signature");
      request.url.search += `&X-Amz-Signature=${"0".repeat(64)}&X-Amz-Signature=${valid}`;
      expect(await outcome(verify(request))).toMatchObject({ code: "IncompleteSignature" });
    });

    it("refuses a header-signed request that also carries presigned-URL parameters: SignatureDoesNotMatch", async () => {
      const request = await signed({ url: `${URL_TEXT}&X-Amz-Signature=${"0".repeat(64)}` });
      expect(await outcome(verify(request))).toMatchObject({ code: "SignatureDoesNotMatch" });
    });
  });

  describe("the Date header in place of X-Amz-Date", () => {
    // The 2011 AWS SigV4 test suite's get-vanilla: signed with Date only, SignedHeaders=date;host.
    // (9 September 2011 was a Friday: AWS's vector does not hold the day of the week to the date.)
    const AWS_2011 = {
      method: "GET",
      url: new URL("https://host.foo.com/"),
      headers: new Headers({
        date: "Mon, 09 Sep 2011 23:36:00 GMT",
        authorization:
          "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20110909/us-east-1/host/aws4_request, SignedHeaders=date;host, Signature=b27ccfbfa7df52a200ff74193ca6e32d4b48b8856fab7ebf1c595d0670a7e470",
      }),
      body: new Uint8Array(),
    };
    const SIGNED_2011 = Date.UTC(2011, 8, 9, 23, 36, 0);

    it("accepts AWS's own vector signed with Date and no X-Amz-Date", async () => {
      expect(await outcome(verify(AWS_2011, SIGNED_2011, "host"))).toBe("accepted");
    });

    it("refuses that vector with its Date changed, or with a clock 16 minutes away", async () => {
      const later = { ...AWS_2011, headers: new Headers(AWS_2011.headers) };
      later.headers.set("date", "Mon, 09 Sep 2011 23:36:01 GMT");
      expect(await outcome(verify(later, SIGNED_2011, "host"))).toMatchObject({ code: "SignatureDoesNotMatch" });
      expect(await outcome(verify(AWS_2011, SIGNED_2011 + 16 * 60_000, "host"))).toMatchObject({
        code: "SignatureDoesNotMatch",
        message: expect.stringMatching(/^Signature expired: 20110909T233600Z is now earlier than/),
      });
    });

    it("accepts the zone as botocore writes it (-0000) and SigV4's basic format", async () => {
      for (const date of ["Sun, 06 Dec 2026 16:00:00 -0000", "Sun, 06 Dec 2026 16:00:00 GMT", DATETIME]) {
        const request = await signedWithDate(date);
        expect(await outcome(verify(request)), date).toBe("accepted");
      }
    });

    it("refuses a Date that is no valid UTC date, with AWS's message", async () => {
      for (const date of ["Sun, 06 Dec 2026 16:00:00 +0100", "Sun, 6 Dec 2026 16:00:00 GMT", "Sunday, 06-Dec-26 16:00:00 GMT", "Sun, 31 Nov 2026 16:00:00 GMT", "zzzzzzzzz"]) {
        const request = await signedWithDate("Sun, 06 Dec 2026 16:00:00 GMT");
        request.headers.set("date", date);
        expect(await outcome(verify(request)), date).toEqual({
          code: "IncompleteSignature",
          message: `Date must be in ISO-8601 'basic format'. Got '${date}'. See http://en.wikipedia.org/wiki/ISO_8601`,
        });
      }
    });

    it("requires only host to be signed: X-Amz-Date sent but not signed is still the signing time", async () => {
      const request = await signedByHand({ "x-amz-date": DATETIME }, ["host"]);
      expect(await outcome(verify(request))).toBe("accepted");
      request.headers.set("x-amz-date", "20261206T160001Z");
      expect(await outcome(verify(request))).toMatchObject({ code: "SignatureDoesNotMatch" });
    });

    it("takes X-Amz-Date over Date when both are sent", async () => {
      const request = await signed({ headers: { date: "Sat, 05 Dec 2026 10:00:00 GMT" } });
      expect(await outcome(verify(request))).toBe("accepted");
    });
  });

  describe("the canonical request is aws4fetch's", () => {
    const URLS = [
      "https://example.com/",
      "https://example.com//a//b/",
      "https://example.com/a%20b/c%2Fd/%E2%82%AC/(x)!*'",
      "https://example.com/?b=2&a=1&a=0&c=&=x&d",
      "https://example.com/q?x=a+b&y=%2B&z=%20&w=!'()*&v=%E2%82%AC&u=~._-",
      "http://127.0.0.1:8787/000000000000/q?Action=SendMessage&MessageBody=hello%20world",
    ];
    for (const url of URLS) {
      for (const presign of [false, true]) {
        it(`${presign ? "presigned" : "header"}: ${url}`, async () => {
          const headers = { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.ListQueues", "x-spaced": "  a   b  " };
          const signer = new AwsV4Signer({
            url, method: "POST", headers, body: "{}", service: "sqs", region: "us-east-1", datetime: DATETIME,
            accessKeyId: KEY.accessKeyId, secretAccessKey: KEY.secretAccessKey, signQuery: presign, allHeaders: true,
          });
          const expected = await signer.canonicalString();
          const out = await signer.sign();
          const request = { method: "POST", url: new URL(out.url), headers: new Headers(out.headers) };
          const claim = readSignatureClaim(new Request(request.url, request), request.url);
          expect(canonicalRequest("POST", request.url, claim, await signer.hexBodyHash())).toBe(expected);
          expect(await outcome(verify({ ...request, body: new TextEncoder().encode("{}") }))).toBe("accepted");
        });
      }
    }
  });
});

/** Signed as botocore signs when the request carries a Date header: Date instead of X-Amz-Date. */
const signedWithDate = (date: string) => signedByHand({ date }, ["date", "host"]);

/** Signed by hand at DATETIME, with these headers and this SignedHeaders list. */
async function signedByHand(sent: Record<string, string>, signedHeaders: string[]): Promise<Signed> {
  const url = new URL(URL_TEXT);
  const headers = new Headers({ ...sent, host: url.host });
  const claim = {
    accessKeyId: KEY.accessKeyId, scopeDate: DATETIME.slice(0, 8), region: "us-east-1", service: "sqs",
    signedHeaders, signedValues: new Map(Object.entries(sent)), signature: "", datetime: DATETIME, presigned: false,
  };
  const { stringToSign } = await import("../../worker/auth/canonical-request.js");
  const emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  const canonical = canonicalRequest("POST", url, claim, emptyHash);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonical));
  const signature = await hmacChain(stringToSign(claim, hex(digest)));
  headers.set("authorization", `AWS4-HMAC-SHA256 Credential=${KEY.accessKeyId}/${DATETIME.slice(0, 8)}/us-east-1/sqs/aws4_request, SignedHeaders=${signedHeaders.join(";")}, Signature=${signature}`);
  return { method: "POST", url, headers, body: new Uint8Array() };
}

async function hmacChain(toSign: string): Promise<string> {
  let key: ArrayBuffer = new TextEncoder().encode(`AWS4${KEY.secretAccessKey}`).buffer as ArrayBuffer;
  for (const part of [DATETIME.slice(0, 8), "us-east-1", "sqs", "aws4_request", toSign]) {
    const imported = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    key = await crypto.subtle.sign("HMAC", imported, new TextEncoder().encode(part));
  }
  return hex(key);
}

const hex = (buffer: ArrayBuffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
