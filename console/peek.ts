/**
 * The queue page's message view: one peek (the queue object's read-only `peek`, through its
 * message store) of a queue of the session's own account. Peek is no SQS action, so there is no
 * policy to consult: the console only ever names queues of the signed-in account.
 */
import type { PeekPage, PeekParams, PeekState } from "../durable-objects/queue/types.js";
import { unwrap } from "../worker/actions/handler.js";
import type { Env } from "../worker/env.js";
import { queueStub } from "../worker/queue-url.js";

export const PEEK_PAGE_SIZE = 20;
/** The part of a body a page shows: 20 bodies of up to 1 MiB would make a page nobody reads. */
export const SHOWN_BODY_CHARS = 4096;
const STATES: PeekState[] = ["visible", "in-flight", "delayed"];

export interface PeekQuery {
  states: PeekState[];
  newestFirst: boolean;
  search: string;
  after?: number;
}

/** The view's query string -> what to peek (unknown values fall back to the defaults). */
export function readPeekQuery(query: (name: string) => string | undefined, all: (name: string) => string[] | undefined): PeekQuery {
  const states = (all("state") ?? []).filter((state): state is PeekState => (STATES as string[]).includes(state));
  const after = Number(query("after"));
  return {
    states,
    newestFirst: query("order") === "newest",
    search: query("search") ?? "",
    ...(Number.isSafeInteger(after) && after > 0 ? { after } : {}),
  };
}

export async function peekQueue(env: Env, accountId: string, name: string, query: PeekQuery): Promise<PeekPage> {
  const params: PeekParams = {
    states: query.states,
    newestFirst: query.newestFirst,
    limit: PEEK_PAGE_SIZE,
    maxBodyChars: SHOWN_BODY_CHARS,
    ...(query.search !== "" ? { search: query.search } : {}),
    ...(query.after !== undefined ? { after: query.after } : {}),
  };
  return unwrap(await queueStub({ env }, { accountId, name }).peek(params));
}

/** When the queue's oldest message was enqueued (undefined when it is empty): a peek of no messages. */
export async function oldestEnqueuedAt(env: Env, accountId: string, name: string): Promise<number | undefined> {
  const page = unwrap(await queueStub({ env }, { accountId, name }).peek({ states: [], newestFirst: false, limit: 0 }));
  return page.oldestEnqueuedAt;
}

/** Stored message attributes (JSON, BinaryValue base64) as name -> type and shown value. */
export function shownAttributes(stored: string | undefined): { name: string; type: string; value: string }[] {
  if (!stored) return [];
  const parsed = JSON.parse(stored) as Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
  return Object.entries(parsed).map(([name, value]) => ({
    name,
    type: value.DataType,
    value: value.StringValue ?? `base64:${value.BinaryValue ?? ""}`,
  }));
}
