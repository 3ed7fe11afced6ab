/**
 * A man in the middle for the authentication suites: forwards every request to the Worker,
 * changed the way an attacker on the path would change it (after the client signed it). Every
 * client is pointed at it unchanged, so one proxy tests every client's signature.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";

export type Tamper =
  | "none"
  | "strip-signature"
  | "body"
  | "signed-header"
  | "second-authorization"
  | "extra-auth-parameter"
  | "unsent-signed-header";

export interface TamperProxy {
  endpoint: string;
  /** What the next requests get done to them. */
  tamper: Tamper;
  close(): Promise<void>;
}

export async function startTamperProxy(target: string): Promise<TamperProxy> {
  const upstream = new URL(target);
  const proxy: TamperProxy = { endpoint: "", tamper: "none", close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const { headers, body } = change(proxy.tamper, { ...req.headers }, Buffer.concat(chunks));
      const forwarded = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forwarded.on("error", () => res.destroy());
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  proxy.endpoint = `http://127.0.0.1:${port}`;
  proxy.close = () => new Promise((resolve) => server.close(() => resolve()));
  return proxy;
}

function change(tamper: Tamper, headers: IncomingHttpHeaders, body: Buffer): { headers: IncomingHttpHeaders; body: Buffer } {
  switch (tamper) {
    case "none":
      return { headers, body };
    case "strip-signature":
      delete headers.authorization;
      return { headers, body };
    case "body": {
      // One byte of the queue name changes; the length (and Content-Length) stays the same.
      const text = body.toString("utf8");
      if (!text.includes(PROBE_QUEUE)) throw new Error(`the probe's body does not name ${PROBE_QUEUE}: ${text}`);
      return { headers, body: Buffer.from(text.replaceAll(PROBE_QUEUE, TAMPERED_QUEUE), "utf8") };
    }
    case "signed-header": {
      // Every client signs X-Amz-Date; one second later is a different request.
      const date = String(headers["x-amz-date"]);
      headers["x-amz-date"] = basicFormat(parseBasic(date) + 1000);
      return { headers, body };
    }
    case "second-authorization":
      // Sent as two header lines; the Worker sees them joined by a comma, as HTTP joins them.
      headers.authorization = [String(headers.authorization), "garbage"] as unknown as string;
      return { headers, body };
    case "extra-auth-parameter":
      headers.authorization = `${headers.authorization}, X=aaaa`;
      return { headers, body };
    case "unsent-signed-header":
      // Claims a header as signed that the request does not carry (sorted last, as a signer lists it).
      headers.authorization = String(headers.authorization).replace(/SignedHeaders=([^,]*)/, "SignedHeaders=$1;zz-not-sent");
      return { headers, body };
  }
}

/** The queue every authentication probe creates (CreateQueue is idempotent, and has a body in every protocol). */
export const PROBE_QUEUE = "auth-probe";
const TAMPERED_QUEUE = "auth-probf";

function parseBasic(text: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) throw new Error(`not an X-Amz-Date: ${text}`);
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

const basicFormat = (time: number) => new Date(time).toISOString().replace(/[:-]|\.\d{3}/g, "");
