/**
 * HTTP/1.1 by hand, for the tests of npm start's front (local/front.ts): requests no HTTP client
 * would send (a TRACE, a Host no URL can hold, raw bytes that are not UTF-8), written to a bare
 * socket, and what came back, split into answers. Signed requests are signed as aws4fetch signs.
 */
import { connect } from "node:net";
import { AwsV4Signer } from "aws4fetch";

export interface RawAnswer {
  /** Status of each answer read, in order (several for pipelined requests, 100 Continue included). */
  statuses: number[];
  /** Everything received, as latin1 text. */
  text: string;
  /** Headers of the last answer, names lower-cased. */
  headers: Record<string, string>;
  /** Body of the last answer, chunked encoding undone. */
  body: string;
  /** How the connection ended, if not by the server closing it: "timeout", "left", or a socket error code. */
  error?: string;
}

export interface RawOptions {
  /** Half-close after writing (as `nc -N` does), instead of waiting with the socket open. */
  halfClose?: boolean;
  /** Gives up after this long without a byte from the server. */
  timeoutMs?: number;
  /** Hangs up after this long, whatever is still coming (a client that leaves a long poll). */
  leaveAfterMs?: number;
}

/** Writes `raw` to a fresh connection to 127.0.0.1:`port` and reads until the server closes it. */
export function rawRequest(port: number, raw: string | Buffer, options: RawOptions = {}): Promise<RawAnswer> {
  const bytes = typeof raw === "string" ? Buffer.from(raw, "latin1") : raw;
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    let error: string | undefined;
    socket.setTimeout(options.timeoutMs ?? 20_000, () => {
      error = "timeout";
      socket.destroy();
    });
    socket.on("connect", () => (options.halfClose ? socket.end(bytes) : socket.write(bytes)));
    if (options.leaveAfterMs !== undefined) {
      setTimeout(() => {
        error ??= "left";
        socket.destroy();
      }, options.leaveAfterMs);
    }
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on("close", () => resolve({ ...parse(Buffer.concat(chunks).toString("latin1")), ...(error && { error }) }));
  });
}

function parse(text: string): Omit<RawAnswer, "error"> {
  const statuses = [...text.matchAll(/(?:^|\n)HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1]));
  const start = text.lastIndexOf("HTTP/1.");
  const last = start < 0 ? "" : text.slice(start);
  const split = last.indexOf("\r\n\r\n");
  const head = split < 0 ? last : last.slice(0, split);
  const headers: Record<string, string> = {};
  for (const line of head.split("\r\n").slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rawBody = split < 0 ? "" : last.slice(split + 4);
  return { statuses, text, headers, body: headers["transfer-encoding"] === "chunked" ? unchunk(rawBody) : rawBody };
}

function unchunk(text: string): string {
  let out = "";
  let at = 0;
  for (;;) {
    const eol = text.indexOf("\r\n", at);
    if (eol < 0) return out;
    const size = parseInt(text.slice(at, eol), 16);
    if (!(size > 0)) return out;
    out += text.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}

/** A request head: the request line and header lines, then the blank line. */
export const head = (lines: string[]): string => `${lines.join("\r\n")}\r\n\r\n`;

/**
 * A complete request signed with `key` for 127.0.0.1:`port`, as bytes: `body` may hold any bytes
 * (the signature covers them as they are). `method` may be one fetch refuses (TRACE): it is
 * signed as the method given and written as that method.
 */
export async function signedRaw(
  port: number,
  key: { accessKeyId: string; secretAccessKey: string },
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
  extraLines: string[] = [],
): Promise<Buffer> {
  const bytes = body === undefined ? undefined : typeof body === "string" ? Buffer.from(body, "utf8") : body;
  const signed = await new AwsV4Signer({
    ...key,
    service: "sqs",
    region: "us-east-1",
    url: `http://127.0.0.1:${port}${path}`,
    method,
    headers,
    ...(bytes && { body: new Uint8Array(bytes) }),
  }).sign();
  const lines = [`${method} ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`];
  signed.headers.forEach((value, name) => {
    if (name !== "host" && name !== "content-length") lines.push(`${name}: ${value}`);
  });
  if (bytes) lines.push(`Content-Length: ${bytes.length}`);
  lines.push(...extraLines);
  return Buffer.concat([Buffer.from(head(lines), "latin1"), bytes ?? Buffer.alloc(0)]);
}
