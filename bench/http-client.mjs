/**
 * The one HTTP client every case uses, baseline included, so client overhead cancels out of the
 * ratios. undici's Pool keeps connections alive and costs little CPU (the client shares the two
 * cores with workerd); autocannon would do too, but it records latency in whole milliseconds,
 * too coarse for sub-millisecond p50s.
 *
 * Every request is SigV4-signed with aws4fetch, as the Sluice SDK signs, the baseline's too (it
 * ignores the header), so the client's signing CPU is paid on both sides of every ratio.
 */
import { createRequire } from "node:module";
import { AwsV4Signer } from "aws4fetch";

// undici is not a direct dependency: take the exact version miniflare pins, wherever npm put it.
const { Pool } = createRequire(createRequire(import.meta.url).resolve("miniflare"))("undici");

/** A request that does not answer within this is reported as an error, not waited on forever. */
const REQUEST_TIMEOUT_MS = 10_000;
const JSON_HEADERS = { "content-type": "application/x-amz-json-1.0" };
/** The region the bench signs for; Sluice serves every region (README). */
const REGION = "us-east-1";
/**
 * Derived signing keys, shared by every client: the four HMACs that derive a day's key run once
 * per day, not per request, as an SDK caches them. What remains per request (hash of the body,
 * of the canonical request, one HMAC) depends on the request and cannot be cached.
 */
const SIGNING_KEYS = new Map();

/** An SQS call that failed: HTTP status (0 for transport errors) and the SQS error body. */
export class CallError extends Error {
  constructor(action, status, body) {
    super(`${action} -> ${status} ${body.slice(0, 300)}`);
    this.status = status;
  }
}

/** Raised by cases whose receive came back without a message although the queue was full. */
export class EmptyReceiveError extends Error {
  constructor() {
    super("ReceiveMessage returned no message although the queue was pre-filled");
  }
}

/** The headers of one signed POST of `body` to `url`: Authorization, X-Amz-Date and `headers`. */
async function signedHeaders(url, headers, body, key) {
  const signer = new AwsV4Signer({
    method: "POST",
    url,
    headers,
    body,
    accessKeyId: key.accessKeyId,
    secretAccessKey: key.secretAccessKey,
    service: "sqs",
    region: REGION,
    cache: SIGNING_KEYS,
  });
  const signed = await signer.sign();
  return Object.fromEntries(signed.headers);
}

/**
 * An AWS JSON 1.0 client for one origin with up to `connections` keep-alive connections,
 * signing with `key` ({ accessKeyId, secretAccessKey }).
 */
export function sqsClient(origin, connections, key) {
  const url = `${origin}/`;
  const pool = new Pool(origin, {
    connections,
    pipelining: 1,
    headersTimeout: REQUEST_TIMEOUT_MS,
    bodyTimeout: REQUEST_TIMEOUT_MS,
  });

  /** POSTs one action; resolves to the parsed JSON result, rejects with a CallError. */
  async function call(action, input) {
    const body = typeof input === "string" ? input : JSON.stringify(input);
    const headers = await signedHeaders(url, { ...JSON_HEADERS, "x-amz-target": `AmazonSQS.${action}` }, body, key);
    let response;
    try {
      response = await pool.request({ path: "/", method: "POST", headers, body });
    } catch (error) {
      throw new CallError(action, 0, String(error?.message ?? error));
    }
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new CallError(action, response.statusCode, text);
    return text ? JSON.parse(text) : {};
  }

  return { call, close: () => pool.close() };
}
