/**
 * The queue page's message view: one peek (the queue object's read-only `peek`, through its
 * message store) of a queue of the session's own account; of every partition of a partitioned
 * queue, merged by sent time (merged-peek.ts). Peek is no SQS action, so there is no
 * policy to consult: the console only ever names queues of the signed-in account.
 */
import type { PeekPage, PeekParams, PeekState } from "../durable-objects/queue/types.js";
import { unwrap } from "../worker/actions/handler.js";
import type { Env } from "../worker/env.js";
import { partitionCount } from "../worker/partitions.js";
import { partitionStub, queueStub, type QueueRef } from "../worker/queue-url.js";
import { decodeCursor, isCursorText, mergePeekPages, type MergedPeekPage } from "./merged-peek.js";

export const PEEK_PAGE_SIZE = 20;
/** The part of a body a page shows: 20 bodies of up to 1 MiB would make a page nobody reads. */
export const SHOWN_BODY_CHARS = 4096;
const STATES: PeekState[] = ["visible", "in-flight", "delayed"];

export interface PeekQuery {
  states: PeekState[];
  newestFirst: boolean;
  search: string;
  /** Where the page starts: the previous page's `next` (merged-peek.ts). */
  after?: string;
}

/** The view's query string -> what to peek (unknown values fall back to the defaults). */
export function readPeekQuery(query: (name: string) => string | undefined, all: (name: string) => string[] | undefined): PeekQuery {
  const states = (all("state") ?? []).filter((state): state is PeekState => (STATES as string[]).includes(state));
  const after = query("after");
  return {
    states,
    newestFirst: query("order") === "newest",
    search: query("search") ?? "",
    ...(after !== undefined && isCursorText(after) && after !== "0" ? { after } : {}),
  };
}

export async function peekQueue(env: Env, accountId: string, name: string, query: PeekQuery): Promise<MergedPeekPage> {
  const ref = { accountId, name };
  const partitions = await partitionCount({ env }, ref);
  const cursor = decodeCursor(query.after, partitions);
  const params = (after: number | undefined): PeekParams => ({
    states: query.states,
    newestFirst: query.newestFirst,
    limit: PEEK_PAGE_SIZE,
    maxBodyChars: SHOWN_BODY_CHARS,
    ...(query.search !== "" ? { search: query.search } : {}),
    ...(after !== undefined ? { after } : {}),
  });
  if (partitions === 1) {
    const at = cursor.get(0);
    const { next, ...page } = unwrap(await queueStub({ env }, ref).peek(params(typeof at === "number" ? at : undefined)));
    return { ...page, ...(next !== undefined ? { next: String(next) } : {}) };
  }
  const pages = new Map<number, PeekPage>();
  await Promise.all(
    Array.from({ length: partitions }, async (_, k) => {
      const at = cursor.get(k);
      if (at === "end") return;
      pages.set(k, unwrap(await partitionStub({ env }, ref, k).peek(params(at))));
    }),
  );
  return mergePeekPages(pages, cursor, partitions, PEEK_PAGE_SIZE, query.newestFirst);
}

/** When the queue's oldest message was enqueued (undefined when it is empty): a peek of no messages of each partition. */
export async function oldestEnqueuedAt(env: Env, accountId: string, name: string): Promise<number | undefined> {
  const times = await everyPartition(env, { accountId, name }, async (stub) =>
    unwrap(await stub.peek({ states: [], newestFirst: false, limit: 0 })).oldestEnqueuedAt,
  );
  const known = times.filter((at): at is number => at !== undefined);
  return known.length > 0 ? Math.min(...known) : undefined;
}

async function everyPartition<T>(env: Env, ref: QueueRef, read: (stub: ReturnType<typeof partitionStub>) => Promise<T>): Promise<T[]> {
  const partitions = await partitionCount({ env }, ref);
  return Promise.all(Array.from({ length: partitions }, (_, k) => read(partitionStub({ env }, ref, k))));
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
