/**
 * The queue object's one HTTP endpoint: a long-poll waiter's WebSocket (long-poll.ts). Durable
 * Objects are not publicly routable and the Worker never forwards a client's request to a stub,
 * so only the Worker's own long-poll code reaches it; it is checked anyway, and anything else is
 * refused with a plain 4xx that the Worker treats as "could not wait" (it then answers from a
 * last receive RPC, never with a 5xx).
 */

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
