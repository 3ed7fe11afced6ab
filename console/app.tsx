/** @jsxImportSource hono/jsx */
/**
 * The console at /console: server-rendered pages over the Worker's own actions. The Worker hands
 * it only requests under /console (worker/index.ts), so none of this runs for the API.
 * Every POST must come from this origin (Origin header) and, once signed in, carry the session's
 * CSRF token; the cookie's SameSite=Strict is a third line.
 */
import { Hono, type Context } from "hono";
import { SqsError } from "../sdk/protocol/index.js";
import type { Env } from "../worker/env.js";
import { callerFor, type Call } from "./call.js";
import { oldestEnqueuedAt, peekQueue, readPeekQuery } from "./peek.js";
import { queueSamples } from "../worker/metrics.js";
import { partitionCount } from "../worker/partitions.js";
import { registryStub } from "../worker/queue-url.js";
import { readRequestBody } from "../worker/request-body.js";
import { clearedCookie, isPlainLoopback, readCookie, sessionCookie } from "./cookie.js";
import { queueActions, type ActionOutcome } from "./queue-actions.js";
import { createQueueInput } from "./forms.js";
import { SignInPage } from "./pages/sign-in.js";
import { QueuesPage, queueHref } from "./pages/queues.js";
import { QueuePage } from "./pages/queue.js";
import { allQueueNames, describeQueue, grantsOf, listQueuePage, moveTasksOf, tagsOf } from "./queue-data.js";
import { checkCredentials, csrfToken, csrfValid, issueSession, readSession, SESSION_SECONDS, type Session } from "./session.js";
import type { LayoutProps } from "./pages/layout.js";

type ConsoleEnv = {
  Bindings: Env;
  Variables: { session: Session; call: Call; signedIn: NonNullable<LayoutProps["signedIn"]>; form: Record<string, string> };
};
type Ctx = Context<ConsoleEnv>;

export const consoleApp = new Hono<ConsoleEnv>().basePath("/console");

/** Security headers for every console answer: no framing, no scripts, no caching of account data. */
consoleApp.use(async (c, next) => {
  await next();
  c.header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  c.header("x-frame-options", "DENY");
  c.header("x-content-type-options", "nosniff");
  c.header("referrer-policy", "same-origin");
  c.header("cache-control", "no-store");
});

/** A POST from another origin is refused before anything reads its form. */
consoleApp.use(async (c, next) => {
  if (c.req.method === "GET" || c.req.method === "HEAD") return next();
  if (c.req.method !== "POST") return c.text("Method not allowed", 405, { allow: "GET, POST" });
  const origin = c.req.header("origin");
  if (origin !== new URL(c.req.url).origin) return c.text("Cross-site request refused: the form must be posted from this console.", 403);
  // The console's forms are URL-encoded; read with the API's own size cap.
  let bytes: Uint8Array;
  try {
    bytes = await readRequestBody(c.req.raw);
  } catch {
    return c.text("The form is too large.", 413);
  }
  c.set("form", Object.fromEntries(new URLSearchParams(new TextDecoder().decode(bytes))));
  return next();
});

consoleApp.get("/", (c) => c.redirect("/console/queues", 303));

consoleApp.get("/sign-in", async (c) => {
  if (await readSession(c.env, readCookie(c.req.header("cookie")))) return c.redirect("/console/queues", 303);
  return c.html(<SignInPage localHint={c.env.SLUICE_LOCAL_DEV === "1"} />);
});

consoleApp.post("/sign-in", async (c) => {
  const url = new URL(c.req.url);
  const localHint = c.env.SLUICE_LOCAL_DEV === "1";
  if (url.protocol !== "https:" && !isPlainLoopback(url)) {
    return c.html(<SignInPage localHint={localHint} error="Sign in over https: this console does not send a session over plain http." />, 403);
  }
  const form = c.get("form");
  const accessKeyId = form.accessKeyId ?? "";
  let key;
  try {
    key = await checkCredentials(c.env, accessKeyId, form.secretAccessKey ?? "");
  } catch (error) {
    // No SLUICE_CREDENTIALS in a deployment: nobody signs in, as nobody calls the API.
    const message = error instanceof SqsError ? error.message : "Sign-in is unavailable.";
    return c.html(<SignInPage localHint={localHint} error={message} accessKeyId={accessKeyId} />, 403);
  }
  if (!key) {
    return c.html(<SignInPage localHint={localHint} error="Wrong access key id or secret." accessKeyId={accessKeyId} />, 403);
  }
  const { cookie } = await issueSession(key);
  c.header("set-cookie", sessionCookie(url, cookie, SESSION_SECONDS));
  return c.redirect("/console/queues", 303);
});

/** Everything below needs a session; a POST also needs its CSRF token. */
consoleApp.use(async (c, next) => {
  let session: Session | undefined;
  try {
    session = await readSession(c.env, readCookie(c.req.header("cookie")));
  } catch {
    session = undefined;
  }
  if (session && (await registryStub({ env: c.env }, session.accountId).consoleSessionEnded(session.id))) session = undefined;
  if (!session) {
    if (c.req.method === "POST") return c.text("Not signed in, or the session has ended: sign in again.", 401);
    return c.redirect("/console/sign-in", 303);
  }
  if (c.req.method === "POST" && !(await csrfValid(c.env, session, c.get("form").csrf))) {
    return c.text("Cross-site request refused: the form's token does not belong to this session. Reload the page and try again.", 403);
  }
  c.set("session", session);
  c.set("call", callerFor(c.env, new URL(c.req.url).origin, session, crypto.randomUUID()));
  c.set("signedIn", { accountId: session.accountId, accessKeyId: session.accessKeyId, csrf: await csrfToken(c.env, session) });
  return next();
});

consoleApp.post("/sign-out", async (c) => {
  const session = c.get("session");
  await registryStub({ env: c.env }, session.accountId).endConsoleSession(session.id, session.expires * 1000);
  c.header("set-cookie", clearedCookie(new URL(c.req.url)));
  return c.redirect("/console/sign-in", 303);
});

consoleApp.get("/queues", (c) => renderQueues(c, {}));

consoleApp.post("/queues", async (c) => {
  const call = c.get("call");
  try {
    const input = await createQueueInput(call, c.get("form"));
    await call("CreateQueue", input);
    return c.redirect(`${queueHref(input.QueueName)}?notice=created`, 303);
  } catch (error) {
    return renderQueues(c, { error: describeError(error) }, 400);
  }
});

consoleApp.get("/queues/:name", (c) => renderQueue(c, c.req.param("name"), {}));

consoleApp.post("/queues/:name/:action", async (c) => {
  const name = c.req.param("name");
  const actionName = c.req.param("action");
  const run = Object.hasOwn(queueActions, actionName) ? queueActions[actionName] : undefined;
  if (!run) return c.text("No such action", 404);
  let outcome: ActionOutcome;
  try {
    outcome = await run(c.get("call"), name, c.get("form"));
  } catch (error) {
    return renderQueue(c, name, { error: describeError(error) }, 400);
  }
  if (outcome.gone) return c.redirect(`/console/queues?notice=${outcome.notice}`, 303);
  const query = new URLSearchParams({ notice: outcome.notice, ...(outcome.id ? { id: outcome.id } : {}) });
  return c.redirect(`${queueHref(name)}?${query}`, 303);
});

consoleApp.notFound((c) => c.text("Not found", 404));

consoleApp.onError((error, c) => {
  console.error(JSON.stringify({ console: true, error: String((error as Error)?.stack ?? error) }));
  return c.text("The console failed to answer; the Worker's log says why.", 500);
});

/** Fixed texts for the notices a redirect names, so no page shows text a link made up. */
const NOTICES: Record<string, (id?: string) => string> = {
  created: () => "Queue created.",
  deleted: () => "Queue deleted.",
  sent: (id) => `Message sent${id ? ` (id ${id})` : ""}.`,
  "message-deleted": () => "Message deleted.",
  purged: () => "Purge started: the queue's messages are being deleted.",
  attributes: () => "Attributes saved.",
  unchanged: () => "No attribute changed.",
  tagged: () => "Tag added.",
  untagged: () => "Tag removed.",
  "permission-added": () => "Permission added.",
  "permission-removed": () => "Permission removed.",
  redrive: () => "Redrive started: the move task's progress is below.",
  "redrive-cancelled": () => "Move task cancelled.",
};

function noticeOf(c: Ctx): string | undefined {
  const key = c.req.query("notice");
  const text = key ? NOTICES[key] : undefined;
  const id = c.req.query("id");
  return text?.(id && /^[\w-]{1,100}$/.test(id) ? id : undefined);
}

function describeError(error: unknown): string {
  if (error instanceof SqsError) return `${error.code}: ${error.message}`;
  throw error;
}

async function renderQueues(c: Ctx, { error }: { error?: string }, status: 200 | 400 = 200) {
  const call = c.get("call");
  const prefix = c.req.query("prefix") ?? "";
  let page;
  try {
    page = await listQueuePage(call, prefix, c.req.query("next") || undefined);
    const accountId = c.get("session").accountId;
    await Promise.all(
      page.rows.map(async (row) => {
        const oldest = await oldestEnqueuedAt(c.env, accountId, row.name);
        if (oldest !== undefined) row.oldestEnqueuedAt = oldest;
      }),
    );
  } catch (listError) {
    page = { rows: [], nextToken: undefined };
    error ??= describeError(listError);
    status = 400;
  }
  const allNames = await allQueueNames(call);
  return c.html(
    <QueuesPage
      now={Date.now()}
      signedIn={c.get("signedIn")}
      rows={page.rows}
      prefix={prefix}
      nextToken={page.nextToken}
      allNames={allNames}
      notice={noticeOf(c)}
      error={error}
    />,
    status,
  );
}

async function renderQueue(c: Ctx, name: string, { error }: { error?: string }, status: 200 | 400 = 200) {
  const call = c.get("call");
  let queue;
  try {
    queue = await describeQueue(call, name);
  } catch (describeFailure) {
    if (describeFailure instanceof SqsError && describeFailure.code === "QueueDoesNotExist") {
      return renderQueues(c, { error: `No queue named “${name}” in this account.` }, 400);
    }
    throw describeFailure;
  }
  const query = readPeekQuery((key) => c.req.query(key), (key) => c.req.queries(key));
  const session = c.get("session");
  const [tags, moveTasks, names, peeked, samples, partitions] = await Promise.all([
    tagsOf(call, name),
    queue.sources.length > 0 ? moveTasksOf(call, queue.arn) : Promise.resolve([]),
    allQueueNames(call),
    peekQueue(c.env, session.accountId, name, query),
    queueSamples(c.env, session.accountId, name),
    // No SQS action reports it; fresh, so a raise made elsewhere shows on the next refresh.
    partitionCount({ env: c.env }, { accountId: session.accountId, name }, true),
  ]);
  return c.html(
    <QueuePage
      messages={{ page: peeked, query, now: Date.now() }}
      samples={samples}
      signedIn={c.get("signedIn")}
      queue={queue}
      partitions={partitions}
      tags={tags}
      grants={grantsOf(queue.attributes.Policy)}
      moveTasks={moveTasks}
      otherQueues={names.filter((other) => other !== name)}
      notice={error ? undefined : noticeOf(c)}
      error={error}
    />,
    status,
  );
}
