/**
 * The Sluice Worker: every SQS protocol decodes to one canonical request, one dispatcher runs
 * the action, and `onError` is the only place an error becomes a response.
 */
import { Hono } from "hono";
import { SqsError, SqsErrors } from "../sdk/protocol/index.js";
import { authenticate } from "./auth/authenticate.js";
import type { RequestContext } from "./context.js";
import { dispatch } from "./dispatch.js";
import { HeldResponse } from "./held-response.js";
import type { Env } from "./env.js";
import { bodyText, readRequestBody } from "./request-body.js";
import { OPENAPI_DOCUMENT } from "./protocol/openapi.js";
import { OPENAPI_ROUTE } from "./protocol/rest.js";
import { REST_PREFIX } from "./protocol/rest-path.js";
import { detectWire, jsonWire } from "./protocol/detect-wire.js";
import type { Wire } from "./protocol/wire.js";

export { QueueObject, QueueRegistry } from "../durable-objects/index.js";

type AppEnv = { Bindings: Env; Variables: { wire: Wire; requestId: string } };

const app = new Hono<AppEnv>();

app.use(async (c, next) => {
  c.set("requestId", crypto.randomUUID());
  c.set("wire", jsonWire);
  await next();
});

// The REST API's description; its routes under /v1 go through the catch-all with the REST wire.
app.get(`${REST_PREFIX}${OPENAPI_ROUTE.path}`, (c) => c.json(OPENAPI_DOCUMENT));

app.all("*", async (c) => {
  const request = c.req.raw;
  const wire = detectWire(request);
  c.set("wire", wire);
  const url = new URL(request.url);
  // Read (and size-capped) before any signature work; the signature covers these bytes.
  const bytes = await readRequestBody(request);
  const caller = await authenticate(request, url, bytes, c.env);
  const ctx: RequestContext = {
    env: c.env,
    origin: url.origin,
    accountId: caller.accountId,
    region: caller.region,
    requestId: c.get("requestId"),
    // AWS reports the sending principal; a Sluice key stands for its account's root.
    senderId: caller.accountId,
    traceHeader: request.headers.get("x-amzn-trace-id") ?? undefined,
    signal: request.signal,
  };
  // Decoded from bytes: workerd warns when text() meets a content type it does not know as text.
  const decoded = wire.decode(request, bodyText(bytes), caller);
  const held = new HeldResponse(wire, decoded.action, ctx.requestId, request.signal);
  ctx.connection = held;
  const { response, done } = held.respond(
    dispatch(decoded, ctx).then((result) => wire.result(decoded.action, result, ctx.requestId)),
  );
  c.executionCtx.waitUntil(done);
  return response;
});

app.onError((error, c) => {
  const requestId = c.get("requestId") ?? crypto.randomUUID();
  const wire = c.get("wire") ?? jsonWire;
  if (error instanceof SqsError) return wire.error(error, requestId);
  console.error(`request ${requestId} failed`, error);
  return wire.error(SqsErrors.internalError(requestId), requestId);
});

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
