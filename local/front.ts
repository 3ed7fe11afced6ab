/**
 * The node:http front of `npm start` (local/server.mjs starts it over Miniflare): it hands each
 * request to the Worker and writes the Worker's answer back. Whatever the request, the client
 * gets an answer: the Worker's, or one the front gives itself for what it cannot pass on (a
 * method undici refuses, a Host no URL can be built from), shaped in the caller's protocol by the
 * Worker's own wires. `failureResponse` is the one place a front error becomes a response (for
 * a request, through `answerFailure`; for a CONNECT, on its bare socket): an `SqsError` is the
 * client's fault and keeps its 4xx; anything else is the front's own bug, a 500 carrying the
 * request id the front logged it under. What Node's HTTP parser cannot read (a bad
 * Content-Length, a broken chunk) is answered 4xx by `answerFramingError`, after any complete
 * request before it on the connection.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { SqsError, SqsErrors } from "../sdk/protocol/index.js";
import { restMethodRefusal } from "../worker/protocol/rest.js";
import { isRestRequest } from "../worker/protocol/rest-path.js";
import { detectWire } from "../worker/protocol/detect-wire.js";
import { MAX_REQUEST_BODY_BYTES } from "../worker/request-body.js";

export type Dispatch = (url: URL, init: RequestInit & { duplex?: "half" }) => Promise<Response>;

export interface FrontOptions {
  /** Miniflare's dispatchFetch in `npm start`; tests pass stand-ins that fail on purpose. */
  dispatch: Dispatch;
  /**
   * The largest body the Worker reads (worker/request-body.ts). A bigger one is refused unread by
   * the Worker; forwarded whole it would be cut off by the Worker's connection closing under it,
   * so the front forwards only enough of it for the Worker to say so, and drains the rest.
   * The Worker's own limit unless a test says otherwise.
   */
  maxBodyBytes?: number;
  /** `host:port` for a request that names no Host (HTTP/1.0). */
  defaultHost: string;
  /** Where the front reports its own failures; console.error by default. */
  log?: (message: string, error: unknown) => void;
}

/** Methods undici (under Miniflare's dispatchFetch) will not send; answered here as not allowed. */
const UNSENDABLE_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);
/** The methods SQS clients use on SQS paths (Query and JSON 1.0); REST paths have their own. */
const SQS_ALLOW = "GET, POST";
/**
 * Connection-level headers are the front's business, not the Worker's: undici refuses `upgrade`,
 * `keep-alive`, `transfer-encoding` and `expect` (Node has already answered a 100-continue), and
 * SigV4 clients do not sign them.
 */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "http2-settings",
  "expect",
]);

export function createFront(options: FrontOptions): Server {
  const log = options.log ?? ((message, error) => console.error(message, error));
  /** The request each connection is answering, if any, for a framing error that follows it. */
  const answering = new WeakMap<Socket, { req: IncomingMessage; res: ServerResponse }>();
  const server = createServer((req, res) => {
    const requestId = crypto.randomUUID();
    answering.set(req.socket, { req, res });
    res.on("close", () => {
      if (answering.get(req.socket)?.res === res) answering.delete(req.socket);
    });
    handle(req, res, requestId, options)
      .catch((error: unknown) => answerFailure(req, res, error, requestId, log))
      // Nothing at all could be written: the connection closes rather than hang.
      .catch(() => res.destroy());
  });
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    try {
      answerFramingError(error, socket, answering.get(socket));
    } catch {
      socket.destroy();
    }
  });
  // A client that half-closes after its request still gets the answer: by default Node drops a
  // request whose client half-closed (a property Node has long had, though its types omit it).
  (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  // Keep-alive and long polls: no server-side request timeout (a long poll waits up to 20 s).
  server.requestTimeout = 0;
  // Node hands CONNECT to this event, and without a listener closes the connection unanswered.
  server.on("connect", (req: IncomingMessage, socket: Socket) => {
    const requestId = crypto.randomUUID();
    socket.on("error", () => undefined);
    let response: Response;
    try {
      response = refusalResponse(req, requestId);
    } catch (error) {
      response = failureResponse(req, error, requestId, log);
    }
    writeRaw(socket, response).catch((error: unknown) => {
      log(`[sluice] request ${requestId}: its answer could not be written:`, error);
      socket.destroy();
    });
  });
  return server;
}

async function handle(req: IncomingMessage, res: ServerResponse, requestId: string, options: FrontOptions) {
  if (UNSENDABLE_METHODS.has(req.method ?? "")) {
    drain(req);
    return writeResponse(req, res, refusalResponse(req, requestId));
  }
  const url = requestUrl(req, options.defaultHost);
  // A client that goes away aborts the request, so the Worker's request.signal fires (long polls).
  const abort = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) abort.abort();
  });
  // A client that closes its side while its answer streams (an SDK giving up on a long poll) has
  // left: the Worker must know before it assigns that poll a message. One that half-closes right
  // after its request, before the answer began, still gets the answer.
  const socket = req.socket;
  const leftMidAnswer = () => {
    if (res.headersSent && !res.writableFinished) {
      abort.abort();
      res.destroy();
    }
  };
  socket.on("end", leftMidAnswer);
  res.on("close", () => socket.off("end", leftMidAnswer));
  const body = await requestBody(req, options.maxBodyBytes ?? MAX_REQUEST_BODY_BYTES);
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower)) continue;
    // A cut body goes without its Content-Length, so the Worker counts it (request-body.ts).
    if (lower === "content-length" && body?.cut) continue;
    headers.append(name, req.rawHeaders[i + 1]!);
  }
  // undici would ask for gzip, and a compressed long poll holds back its heartbeats (each a
  // space), so a departed client would go unnoticed until a message was assigned to it.
  if (!headers.has("accept-encoding")) headers.set("accept-encoding", "identity");
  try {
    const response = await options.dispatch(url, {
      method: req.method,
      headers,
      body: body && (body.cut ? streamOf(body.bytes) : body.bytes),
      duplex: "half",
      signal: abort.signal,
      redirect: "manual",
    });
    await writeResponse(req, res, response, abort.signal);
  } catch (error) {
    // The client left (a long poll it gave up on), which aborted the Worker's answer: nobody to answer.
    if (abort.signal.aborted) return;
    throw error;
  }
}

/**
 * The URL the Worker sees: the request's path on the origin its Host names. The path is appended,
 * not resolved, so `//` stays a path (URL resolution would read it as a host).
 */
function requestUrl(req: IncomingMessage, defaultHost: string): URL {
  const target = req.url ?? "/";
  if (target.startsWith("/")) {
    const host = req.headers.host ?? defaultHost;
    // Only a host and a port: userinfo, a path or a query would move the request elsewhere.
    const valid = !/[\s/?#@\\]/.test(host) && canParse(`http://${host}/`) && host !== "";
    if (!valid) throw SqsErrors.invalidParameterValue(`The Host header ${JSON.stringify(host)} is not a valid host.`);
    return new URL(`http://${host}${target}`);
  }
  // The absolute form a proxy-minded client sends; anything else (`*`, a bare authority) is no path.
  if (/^https?:\/\//i.test(target) && canParse(target)) return new URL(target);
  throw SqsErrors.invalidParameterValue(`The request target ${JSON.stringify(target)} is not a path.`);
}

function canParse(url: string): boolean {
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

interface Body {
  bytes: Buffer;
  /** More followed than the Worker reads: `bytes` is only its first maxBodyBytes + 1. */
  cut: boolean;
}

/**
 * A body the Worker will read is handed over whole, as bytes, so the Worker sees the
 * Content-Length the client signed. One past the Worker's limit is cut to one byte more than the
 * limit, which the Worker refuses as too large after reading all of it, and the rest is drained
 * here, so neither connection is reset under an answer.
 */
function requestBody(req: IncomingMessage, max: number): Promise<Body | undefined> {
  if (req.method === "GET" || req.method === "HEAD") return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const collect = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > max) {
        finish();
        drain(req);
        resolve({ bytes: Buffer.concat(chunks).subarray(0, max + 1), cut: true });
      }
    };
    const end = () => {
      finish();
      resolve({ bytes: Buffer.concat(chunks), cut: false });
    };
    const broken = () => {
      finish();
      reject(SqsErrors.malformedInput("The request body ended before its Content-Length."));
    };
    const finish = () => {
      req.off("data", collect);
      req.off("end", end);
      req.off("error", broken);
      req.off("aborted", broken);
    };
    req.on("data", collect);
    req.on("end", end);
    req.on("error", broken);
    req.on("aborted", broken);
  });
}

/** Reads and discards what is left of a request body, so the client can finish sending it. */
function drain(req: IncomingMessage): void {
  req.on("data", () => undefined);
  req.on("error", () => undefined);
  req.resume();
}

function streamOf(bytes: Buffer): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new Uint8Array(bytes));
      controller.close();
    },
  });
}

/** 405 for a method the front cannot forward, in the protocol the request's path and headers suggest. */
function refusalResponse(req: IncomingMessage, requestId: string): Response {
  const method = req.method ?? "";
  const stand = standIn(req);
  const path = new URL(stand.url).pathname;
  if (isRestRequest(stand)) {
    const { error, allow } = restMethodRefusal(method, path);
    return withHeader(detectWire(stand).error(error, requestId), "allow", allow);
  }
  const error = new SqsError("MethodNotAllowed", `${method} is not allowed. Allowed: ${SQS_ALLOW}.`);
  return withHeader(detectWire(stand).error(error, requestId), "allow", SQS_ALLOW);
}

/**
 * A request the Worker's wires can read to pick the caller's protocol: the path and the headers
 * that choose it, for a request that could not be turned into a Request itself.
 */
function standIn(req: IncomingMessage): Request {
  const target = req.url ?? "/";
  const path = target.startsWith("/") && canParse(`http://front${target}`) ? new URL(`http://front${target}`).pathname : "/";
  const headers = new Headers();
  for (const name of ["content-type", "x-amz-target", "accept"]) {
    const value = req.headers[name];
    if (typeof value === "string") {
      try {
        headers.set(name, value);
      } catch {
        // a value no Headers takes chooses nothing
      }
    }
  }
  return new Request(`http://front${path}`, { headers });
}

function withHeader(response: Response, name: string, value: string | undefined): Response {
  if (value !== undefined) response.headers.set(name, value);
  return response;
}

/**
 * Answers a request the front failed on with `failureResponse`'s answer. Once the status line is
 * out nothing truthful can be added: the connection is closed instead, so the client sees a
 * cut-off answer rather than a complete-looking wrong one.
 */
export function answerFailure(
  req: IncomingMessage,
  res: ServerResponse,
  error: unknown,
  requestId: string,
  log: (message: string, error: unknown) => void = (message, cause) => console.error(message, cause),
): void {
  if (res.headersSent || res.destroyed) {
    if (!(error instanceof SqsError)) log(`[sluice] request ${requestId} failed:`, error);
    res.destroy();
    return;
  }
  const response = failureResponse(req, error, requestId, log);
  try {
    drain(req);
  } catch {
    // a request that cannot be drained is closed with its connection after the answer
  }
  writeResponse(req, res, response).catch((writeError: unknown) => {
    log(`[sluice] request ${requestId}: its error could not be written:`, writeError);
    res.destroy();
  });
}

/**
 * The answer to a front error, in the caller's protocol: an SqsError's own, or 500 InternalError
 * for anything else, logged under the request id the answer carries. If even that cannot be
 * rendered, a plain-text 500 with the id.
 */
function failureResponse(
  req: IncomingMessage,
  error: unknown,
  requestId: string,
  log: (message: string, error: unknown) => void,
): Response {
  if (!(error instanceof SqsError)) log(`[sluice] request ${requestId} failed:`, error);
  try {
    const sqsError = error instanceof SqsError ? error : SqsErrors.internalError(requestId);
    return detectWire(standIn(req)).error(sqsError, requestId);
  } catch (renderError) {
    log(`[sluice] request ${requestId}: its error could not be rendered:`, renderError);
    return new Response(`Internal error (request ${requestId})\n`, {
      status: 500,
      headers: { "content-type": "text/plain", "x-amzn-requestid": requestId },
    });
  }
}

/** Miniflare's note that it decoded a compressed body, which is not true of the bytes written on. */
const DECODED_MARK = "mf-content-encoding";

async function writeResponse(
  req: IncomingMessage,
  res: ServerResponse,
  response: Response,
  aborted?: AbortSignal,
): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  const decoded = response.headers.has(DECODED_MARK);
  response.headers.forEach((value, name) => {
    if (name === "set-cookie" || name === DECODED_MARK) return;
    // A decoded body is no longer as long as the encoded one was.
    if (name === "content-length" && decoded) return;
    headers[name] = value;
  });
  const cookies = (response.headers as Headers & { getSetCookie(): string[] }).getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  res.writeHead(response.status, headers);
  res.flushHeaders();
  if (response.body && req.method !== "HEAD") {
    // Written chunk by chunk as they come, so long-poll heartbeats reach the client at once.
    for await (const chunk of response.body) {
      if (aborted?.aborted) break;
      res.write(chunk);
    }
  }
  res.end();
}

/** Node's statuses for its parser's errors; anything else it cannot parse is a 400. */
const FRAMING_STATUS: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

/**
 * Bytes Node's parser cannot read (garbage, a bad Content-Length, a body cut short): a 4xx, then
 * the connection closes, as Node itself would answer. Unlike Node, a complete request before
 * them on the same connection (pipelined) is answered first, instead of being dropped for the
 * error that came after it.
 */
function answerFramingError(
  error: NodeJS.ErrnoException,
  socket: Socket,
  inFlight: { req: IncomingMessage; res: ServerResponse } | undefined,
): void {
  const status = FRAMING_STATUS[error.code ?? ""] ?? 400;
  const answer = () => {
    try {
      if (!socket.writable) return void socket.destroy();
      const head = [`HTTP/1.1 ${status} ${STATUS_CODES[status]}`, `x-amzn-requestid: ${crypto.randomUUID()}`];
      socket.end(`${[...head, "content-length: 0", "connection: close"].join("\r\n")}\r\n\r\n`);
      socket.setTimeout(5_000, () => socket.destroy());
    } catch {
      socket.destroy();
    }
  };
  if (error.code === "ECONNRESET" || !socket.writable) return void socket.destroy();
  // The request being answered was read whole: its answer goes out first, then this one.
  if (inFlight && inFlight.req.complete && !inFlight.res.writableFinished) {
    inFlight.res.on("close", answer);
    return;
  }
  // Part of an answer is out already: nothing well-formed can follow it.
  if (inFlight?.res.headersSent && !inFlight.res.writableFinished) return void socket.destroy();
  answer();
}

/** An answer written straight to a socket Node has handed over (CONNECT), then closed. */
async function writeRaw(socket: Socket, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const lines = [`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ""}`];
  response.headers.forEach((value, name) => lines.push(`${name}: ${value}`));
  lines.push(`content-length: ${body.length}`, "connection: close");
  socket.end(Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1"), body]));
}
