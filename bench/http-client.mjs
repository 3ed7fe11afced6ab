/**
 * The one HTTP client every case uses, baseline included, so client overhead cancels out of the
 * ratios. undici's Pool keeps connections alive and costs little CPU (the client shares the two
 * cores with workerd); autocannon would do too, but it records latency in whole milliseconds,
 * too coarse for sub-millisecond p50s.
 */
import { createRequire } from "node:module";

// undici is not a direct dependency: take the exact version miniflare pins, wherever npm put it.
const { Pool } = createRequire(createRequire(import.meta.url).resolve("miniflare"))("undici");

/** A request that does not answer within this is reported as an error, not waited on forever. */
const REQUEST_TIMEOUT_MS = 10_000;
const JSON_HEADERS = { "content-type": "application/x-amz-json-1.0" };

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

/** An AWS JSON 1.0 client for one origin with up to `connections` keep-alive connections. */
export function sqsClient(origin, connections) {
  const pool = new Pool(origin, {
    connections,
    pipelining: 1,
    headersTimeout: REQUEST_TIMEOUT_MS,
    bodyTimeout: REQUEST_TIMEOUT_MS,
  });

  /** POSTs one action; resolves to the parsed JSON result, rejects with a CallError. */
  async function call(action, input) {
    let response;
    try {
      response = await pool.request({
        path: "/",
        method: "POST",
        headers: { ...JSON_HEADERS, "x-amz-target": `AmazonSQS.${action}` },
        body: typeof input === "string" ? input : JSON.stringify(input),
      });
    } catch (error) {
      throw new CallError(action, 0, String(error?.message ?? error));
    }
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new CallError(action, response.statusCode, text);
    return text ? JSON.parse(text) : {};
  }

  return { call, close: () => pool.close() };
}
