/**
 * The signature parser as strict as AWS's, through raw signed requests on the wire (node:http,
 * so a header can be sent twice) to the running Worker, in each protocol: a second Authorization
 * header, an unknown Authorization parameter, a SignedHeaders list naming an unsent header and a
 * repeated presigned-URL parameter are refused with AWS's code in the caller's protocol, and a
 * request signed with the Date header instead of X-Amz-Date is served.
 */
import { createHash, createHmac } from "node:crypto";
import { request as httpRequest } from "node:http";
import { describe, expect, it } from "vitest";
import { AwsV4Signer } from "aws4fetch";
import { MAIN_KEY } from "../../keys.js";
import { endpoint } from "../clients.js";

type Protocol = "json" | "query" | "rest";

interface Raw {
  method: string;
  url: URL;
  /** In wire order; a name may repeat. */
  headers: [string, string][];
  body: string;
}

interface Answer {
  status: number;
  code: string;
  message: string;
}

/** ListQueues (or the REST list) as each protocol writes it. */
function listQueues(protocol: Protocol): { method: string; path: string; headers: Record<string, string>; body: string } {
  switch (protocol) {
    case "json":
      return {
        method: "POST",
        path: "/",
        headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.ListQueues" },
        body: "{}",
      };
    case "query":
      return { method: "POST", path: "/", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "Action=ListQueues&Version=2012-11-05" };
    case "rest":
      return { method: "GET", path: "/v1/queues", headers: {}, body: "" };
  }
}

/** Signed by aws4fetch (the SDK's signer), in the Authorization header or as a presigned URL. */
async function signed(protocol: Protocol, options: { presign?: boolean } = {}): Promise<Raw> {
  const call = listQueues(protocol);
  const signer = new AwsV4Signer({
    url: `${endpoint()}${call.path}`,
    method: call.method,
    headers: call.headers,
    body: call.body,
    ...MAIN_KEY,
    service: "sqs",
    region: "us-east-1",
    signQuery: options.presign,
  });
  const out = await signer.sign();
  return { method: call.method, url: new URL(out.url), headers: [...out.headers], body: call.body };
}

/**
 * Signed by hand with the Date header instead of X-Amz-Date, as botocore signs a request that
 * carries a Date header (its zone written `-0000`); SignedHeaders holds date, not x-amz-date.
 */
function signedWithDate(protocol: Protocol, date = new Date()): Raw {
  const call = listQueues(protocol);
  const url = new URL(`${endpoint()}${call.path}`);
  const stamp = date.toISOString().replace(/[:-]|\.\d{3}/g, "");
  const httpDate = date.toUTCString().replace("GMT", "-0000");
  const headers: Record<string, string> = { ...call.headers, date: httpDate, host: url.host };
  const names = Object.keys(headers).sort();
  const canonical = [
    call.method,
    url.pathname,
    "",
    names.map((name) => `${name}:${headers[name]}\n`).join(""),
    names.join(";"),
    sha256(call.body),
  ].join("\n");
  const scope = `${stamp.slice(0, 8)}/us-east-1/sqs/aws4_request`;
  let key: Buffer = Buffer.from(`AWS4${MAIN_KEY.secretAccessKey}`);
  for (const part of [stamp.slice(0, 8), "us-east-1", "sqs", "aws4_request"]) key = createHmac("sha256", key).update(part).digest();
  const signature = createHmac("sha256", key).update(`AWS4-HMAC-SHA256\n${stamp}\n${scope}\n${sha256(canonical)}`).digest("hex");
  const authorization = `AWS4-HMAC-SHA256 Credential=${MAIN_KEY.accessKeyId}/${scope}, SignedHeaders=${names.join(";")}, Signature=${signature}`;
  return { method: call.method, url, headers: [...Object.entries(headers), ["authorization", authorization]], body: call.body };
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** Sends the request exactly as given (repeated headers as repeated lines) and reads the error code the protocol carries. */
function send(protocol: Protocol, raw: Raw): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // As an array, node sends the headers as given and adds neither Host nor Content-Length.
    const given = raw.headers.filter(([name]) => name !== "host");
    const headers = [["host", raw.url.host], ...given, ["content-length", String(Buffer.byteLength(raw.body))]].flat();
    const outgoing = httpRequest(
      { host: raw.url.hostname, port: raw.url.port, method: raw.method, path: raw.url.pathname + raw.url.search, headers },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, ...errorOf(protocol, text) }));
      },
    );
    outgoing.on("error", reject);
    outgoing.end(raw.body);
  });
}

/** The error's code and message as the protocol carries them; empty for a success. */
function errorOf(protocol: Protocol, text: string): { code: string; message: string } {
  if (protocol === "query") {
    const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
    return { code: code ?? (text.includes("ListQueuesResponse") ? "" : `unparsed: ${text}`), message: /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? "" };
  }
  if (text === "" || !text.startsWith("{")) return { code: `unparsed: ${text}`, message: "" };
  const body = JSON.parse(text) as { __type?: string; message?: string; error?: { code: string; message: string }; QueueUrls?: unknown };
  if (body.error) return body.error;
  if (body.__type) return { code: body.__type.slice(body.__type.indexOf("#") + 1), message: body.message ?? "" };
  return { code: "", message: "" };
}

/** The same request with its Authorization header changed. */
function changeAuthorization(raw: Raw, change: (value: string) => string): Raw {
  return { ...raw, headers: raw.headers.map(([name, value]) => [name, name === "authorization" ? change(value) : value]) };
}

const MISMATCH = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

for (const protocol of ["json", "query", "rest"] as const) {
  describe(`SigV4 parsing as strict as AWS (${protocol})`, () => {
    it("serves the request as signed", async () => {
      expect(await send(protocol, await signed(protocol))).toEqual({ status: 200, code: "", message: "" });
    });

    it("refuses a valid Authorization header followed by a second, garbage one: IncompleteSignature (400)", async () => {
      const raw = await signed(protocol);
      const answer = await send(protocol, { ...raw, headers: [...raw.headers, ["authorization", "garbage"]] });
      expect(answer).toMatchObject({ status: 400, code: "IncompleteSignature" });
      expect(answer.message).toMatch(/^'garbage' not a valid key=value pair \(missing equal-sign\) in Authorization header: 'AWS4-HMAC-SHA256 Credential=.*, garbage'\.$/);
    });

    it("refuses a garbage Authorization header followed by the valid one: IncompleteSignature (400)", async () => {
      const raw = await signed(protocol);
      const answer = await send(protocol, { ...raw, headers: [["authorization", "garbage"], ...raw.headers] });
      expect(answer).toMatchObject({ status: 400, code: "IncompleteSignature" });
      expect(answer.message).toMatch(/^Unsupported AWS 'algorithm': 'garbage,'\./);
    });

    it("refuses an unknown parameter after the signature: IncompleteSignature (400)", async () => {
      const answer = await send(protocol, changeAuthorization(await signed(protocol), (value) => `${value}, X=aaaa`));
      expect(answer).toMatchObject({ status: 400, code: "IncompleteSignature" });
      expect(answer.message).toMatch(/^'X=aaaa' is not a parameter of a SigV4 Authorization header/);
    });

    it("refuses a SignedHeaders list naming a header the request does not carry: SignatureDoesNotMatch (403)", async () => {
      const raw = changeAuthorization(await signed(protocol), (value) => value.replace(/SignedHeaders=([^,]*)/, "SignedHeaders=$1;zz-not-sent"));
      expect(raw.headers.find(([name]) => name === "authorization")![1]).toContain(";zz-not-sent,");
      expect(await send(protocol, raw)).toEqual({ status: 403, code: "SignatureDoesNotMatch", message: MISMATCH });
    });

    it("serves a request signed with the Date header and no X-Amz-Date", async () => {
      const raw = signedWithDate(protocol);
      expect(raw.headers.some(([name]) => name === "x-amz-date")).toBe(false);
      expect(await send(protocol, raw)).toEqual({ status: 200, code: "", message: "" });
    });

    it("refuses that request once its Date header changed: SignatureDoesNotMatch (403)", async () => {
      const now = new Date();
      const raw = signedWithDate(protocol, now);
      const later = new Date(now.getTime() + 1000).toUTCString().replace("GMT", "-0000");
      const changed = { ...raw, headers: raw.headers.map(([name, value]): [string, string] => [name, name === "date" ? later : value]) };
      expect(await send(protocol, changed)).toEqual({ status: 403, code: "SignatureDoesNotMatch", message: MISMATCH });
    });
  });
}

describe("SigV4 parsing as strict as AWS: presigned URLs (Query)", () => {
  it("serves the presigned URL as signed", async () => {
    const raw = await signed("query", { presign: true });
    expect(await send("query", raw)).toEqual({ status: 200, code: "", message: "" });
  });

  for (const name of ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token"]) {
    it(`refuses ${name} given twice: IncompleteSignature (400)`, async () => {
      const raw = await signed("query", { presign: true });
      const value = raw.url.searchParams.get(name) ?? (name === "X-Amz-Expires" ? "300" : "token");
      // A second copy placed first, as a proxy reading the first value would see it.
      raw.url.search = `?${encodeURIComponent(name)}=${encodeURIComponent(value)}&${raw.url.search.slice(1)}`;
      if (raw.url.searchParams.getAll(name).length < 2) raw.url.searchParams.append(name, value);
      expect(raw.url.searchParams.getAll(name).length).toBe(2);
      expect(await send("query", raw)).toEqual({
        status: 400,
        code: "IncompleteSignature",
        message: `AWS query-string parameters must include '${name}' only once. Re-examine the query-string parameters.`,
      });
    });
  }
});
