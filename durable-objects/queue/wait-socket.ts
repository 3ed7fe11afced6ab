/**
 * The queue object's one HTTP endpoint: a long-poll waiter's WebSocket (long-poll.ts). Durable
 * Objects are not publicly routable and the Worker never forwards a client's request to a stub,
 * so only the Worker's own long-poll code reaches it; it is checked anyway, and anything else is
 * refused with a plain 4xx that the Worker treats as "could not wait" (it then answers from a
 * last receive RPC, never with a 5xx).
 */

import type { ReceiveParams } from "./types.js";

/** The path the Worker opens waiter sockets on (the host is ignored: stubs route by id). */
export const WAIT_PATH = "/internal/long-poll";

/** The client end to return in a 101, and the server end to park; or the refusal. */
export type WaitSocketOpening = { ok: true; client: WebSocket; server: WebSocket } | { ok: false; response: Response };

export function openWaitSocket(request: Request): WaitSocketOpening {
  if (new URL(request.url).pathname !== WAIT_PATH) {
    return { ok: false, response: new Response("not found", { status: 404 }) };
  }
  if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
    return { ok: false, response: new Response("expected a WebSocket upgrade", { status: 426 }) };
  }
  const { 0: client, 1: server } = new WebSocketPair();
  return { ok: true, client, server };
}

/**
 * A receive to make before parking (the first call of a long poll): its ReceiveParams as JSON,
 * URI-encoded. Without it the socket parks at once (a poll reopening its socket).
 */
export const RECEIVE_HEADER = "x-sluice-receive";
/** On a 101 that answered a receive: the empty receive's outcome (its deadline, its hints) as JSON. */
export const OUTCOME_HEADER = "x-sluice-receive-outcome";

/** The receive a waiter's request asks for first, if any; a malformed one is ignored (the socket just parks). */
export function receiveParamsOf(request: Request): ReceiveParams | undefined {
  const header = request.headers.get(RECEIVE_HEADER);
  if (header === null) return undefined;
  try {
    const params = JSON.parse(decodeURIComponent(header)) as ReceiveParams;
    return typeof params === "object" && params !== null && typeof params.maxMessages === "number" ? params : undefined;
  } catch {
    return undefined;
  }
}
