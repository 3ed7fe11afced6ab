/**
 * The Sluice Worker: every SQS protocol decodes to one canonical request, one dispatcher runs
 * the action, and `onError` is the only place an error becomes a response.
 */
import { Hono, type Context } from "hono";
import { SqsError, SqsErrors } from "../sdk/protocol/index.js";
import { authenticate } from "./auth/authenticate.js";
import type { RequestContext } from "./context.js";
import { dispatch } from "./dispatch.js";
import { logFailure, queueOf, type RequestFacts } from "./failure-log.js";
import { HeldResponse } from "./held-response.js";
import type { Env } from "./env.js";
import { isConsolePath } from "./console-path.js";
import { METRICS_PREFIX, metricsResponse, queueSamples } from "./metrics.js";
import { bodyText, readRequestBody } from "./request-body.js";
import { OPENAPI_DOCUMENT } from "./protocol/openapi.js";
import { createRestWire, OPENAPI_ROUTE } from "./protocol/rest.js";
import { REST_PREFIX } from "./protocol/rest-path.js";
import { detectWire, jsonWire } from "./protocol/detect-wire.js";
import type { Wire } from "./protocol/wire.js";
import { isSubscribeUrl, serveSns, signedForSns, subscribeUrlCaller } from "./sns/serve.js";
import { snsWire } from "./sns/wire.js";
import { isTopicsRestRequest, serveTopicsRest } from "./sns/rest-topics.js";
import { SIGNING_CERTIFICATE_ROUTE, signingCertificateResponse } from "./signing-certificate.js";

export { QueueObject, QueueRegistry, SigningKeyObject, TopicObject } from "../durable-objects/index.js";

type AppEnv = { Bindings: Env; Variables: { wire: Wire; requestId: string; facts: RequestFacts } };

/** Seconds a throttled client is asked to wait: the platform's overloads pass within moments. */
const RETRY_AFTER_SECONDS = "1";

const app = new Hono<AppEnv>();

app.use(async (c, next) => {
  const requestId = crypto.randomUUID();
  c.set("requestId", requestId);
  c.set("facts", { requestId });
  c.set("wire", jsonWire);
  await next();
});

// The REST API's description; its routes under /v1 go through the catch-all with the REST wire.
app.get(`${REST_PREFIX}${OPENAPI_ROUTE.path}`, (c) => c.json(OPENAPI_DOCUMENT));

// A queue's per-minute samples (metrics.ts), behind the same signature check as every action.
app.get(`${METRICS_PREFIX}:name`, async (c) => {
  const request = c.req.raw;
  const url = new URL(request.url);
  const caller = await authenticate(request, url, await readRequestBody(request), c.env);
  const name = c.req.param("name");
  c.get("facts").accountId = caller.accountId;
  return metricsResponse(name, await queueSamples(c.env, caller.accountId, name), url.searchParams.get("format"));
});

// The certificate SNS notifications are signed with: public, as AWS's is (signing-certificate.ts).
app.get(SIGNING_CERTIFICATE_ROUTE, (c) => signingCertificateResponse(c.env, c.req.path));

app.all("*", async (c) => {
  const request = c.req.raw;
  const url = new URL(request.url);
  if (isTopicsRestRequest(url)) return topicsRestRequest(c);
  if (signedForSns(request, url)) return snsRequest(c);
  if (isSubscribeUrl(request, url)) return subscribeUrlRequest(c, url);
  const wire = detectWire(request);
  c.set("wire", wire);
  const { bytes, caller, facts, ctx } = await signedCall(c, url, "sqs");
  ctx.traceHeader = request.headers.get("x-amzn-trace-id") ?? undefined;
  // Decoded from bytes: workerd warns when text() meets a content type it does not know as text.
  const decoded = wire.decode(request, bodyText(bytes), caller);
  facts.action = decoded.action;
  facts.queue = queueOf(decoded.input);
  const held = new HeldResponse(wire, decoded.action, ctx.requestId, request.signal);
  ctx.connection = held;
  const { response, done } = held.respond(
    dispatch(decoded, ctx).then(async (result) => {
      await wire.complete?.(ctx);
      return wire.result(decoded.action, result, ctx.requestId);
    }),
    // A long poll already answered 200 can only end empty; its failure still goes to the log.
    (error) => logFailure(facts, error, 200),
  );
  c.executionCtx.waitUntil(done);
  return response;
});

/** Topics (worker/sns): the same keys and accounts, SNS's wire. */
async function snsRequest(c: Context<AppEnv>): Promise<Response> {
  c.set("wire", snsWire);
  const { bytes, facts, ctx } = await signedCall(c, new URL(c.req.url), "sns");
  return serveSns(c.req.raw, bodyText(bytes), ctx, facts);
}

/** Topics in the REST API (worker/sns/rest-topics.ts): signed for `sqs` as the rest of /v1, or for `sns`. */
async function topicsRestRequest(c: Context<AppEnv>): Promise<Response> {
  c.set("wire", createRestWire());
  const url = new URL(c.req.url);
  const { bytes, ctx } = await signedCall(c, url, signedForSns(c.req.raw, url) ? "sns" : "sqs");
  return serveTopicsRest(c.req.raw, bodyText(bytes), ctx);
}

/**
 * A signed request's body, caller and context. The body is read (and size-capped) before any
 * signature work; the signature covers these bytes.
 */
async function signedCall(c: Context<AppEnv>, url: URL, service: "sqs" | "sns") {
  const request = c.req.raw;
  const bytes = await readRequestBody(request);
  const caller = await authenticate(request, url, bytes, c.env, Date.now(), service);
  const facts = c.get("facts");
  facts.accountId = caller.accountId;
  const ctx: RequestContext = {
    env: c.env,
    origin: url.origin,
    accountId: caller.accountId,
    region: caller.region,
    requestId: c.get("requestId"),
    // AWS reports the sending principal; a Sluice key stands for its account's root.
    senderId: caller.accountId,
    signal: request.signal,
  };
  return { bytes, caller, facts, ctx };
}

/** A SubscribeURL visited (worker/sns/serve.ts): ConfirmSubscription alone, its token the proof. */
async function subscribeUrlRequest(c: Context<AppEnv>, url: URL): Promise<Response> {
  c.set("wire", snsWire);
  const { accountId, region } = subscribeUrlCaller(url);
  const facts = c.get("facts");
  facts.accountId = accountId;
  const ctx: RequestContext = { env: c.env, origin: url.origin, accountId, region, requestId: c.get("requestId"), senderId: accountId };
  return serveSns(c.req.raw, "", ctx, facts, "ConfirmSubscription");
}

app.onError((error, c) => {
  const requestId = c.get("requestId") ?? crypto.randomUUID();
  const wire = c.get("wire") ?? jsonWire;
  const response = wire.error(error instanceof SqsError ? error : SqsErrors.internalError(requestId), requestId);
  logFailure(c.get("facts") ?? { requestId }, error, response.status);
  if (error instanceof SqsError && error.code === "RequestThrottled") response.headers.set("retry-after", RETRY_AFTER_SECONDS);
  return response;
});

export default {
  // The console is routed by path before anything else runs, and loaded only when first asked
  // for: an API request pays one string comparison for it.
  fetch(request, env, ctx) {
    if (isConsolePath(request.url)) return import("../console/app.js").then(({ consoleApp }) => consoleApp.fetch(request, env, ctx));
    return app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
