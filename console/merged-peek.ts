/**
 * A peek of a partitioned queue: each partition's page read with its own cursor and merged by
 * sent time into one page of the usual size. A partition's messages come in its own order (by
 * seq), so the merge only ever takes from the front of each partition's page: what a page takes
 * of a partition is a prefix, and the next page resumes that partition right after it.
 */
import type { PeekedMessage, PeekPage } from "../durable-objects/queue/types.js";

/** Where each partition's next page starts: after a seq, from its beginning (absent), or nowhere (it is read to the end). */
export type PeekCursor = Map<number, number | "end">;

/** The page the console shows: `next` is the cursor text of the following page. */
export interface MergedPeekPage extends Omit<PeekPage, "next"> {
  next?: string;
}

/**
 * The cursor as the page links carry it: `partition.seq`, or `partition.e` for a partition read
 * to the end, joined by `_`, leaving out partitions not yet started; none once every partition is
 * read to the end. (An unpartitioned queue's cursor is its seq alone, as it always was.)
 */
export function encodeCursor(cursor: PeekCursor, partitions: number): string | undefined {
  const ended = [...cursor.values()].filter((at) => at === "end").length;
  if (ended >= partitions) return undefined;
  return [...cursor]
    .sort(([a], [b]) => a - b)
    .map(([k, at]) => `${k}.${at === "end" ? "e" : at}`)
    .join("_");
}

const PARTITIONED_CURSOR = /^\d{1,2}\.(?:\d{1,16}|e)(?:_\d{1,2}\.(?:\d{1,16}|e))*$/;

/** Whether `text` can be a cursor; anything else is ignored and the view starts at the beginning. */
export function isCursorText(text: string): boolean {
  return /^\d{1,16}$/.test(text) || PARTITIONED_CURSOR.test(text);
}

/** The cursor for a queue of `partitions`; parts naming a partition the queue does not have are dropped. */
export function decodeCursor(text: string | undefined, partitions: number): PeekCursor {
  const cursor: PeekCursor = new Map();
  if (text === undefined || !isCursorText(text)) return cursor;
  if (/^\d+$/.test(text)) {
    // A plain seq is partition 0's: a link made before the queue was partitioned still works.
    const seq = Number(text);
    if (seq > 0) cursor.set(0, seq);
    return cursor;
  }
  for (const part of text.split("_")) {
    const [k, at] = part.split(".") as [string, string];
    if (Number(k) < partitions) cursor.set(Number(k), at === "e" ? "end" : Number(at));
  }
  return cursor;
}

/**
 * One page of at most `limit` messages from the partitions' pages (each read from its cursor
 * position with the same `limit`), oldest or newest sent first, and the cursor after it.
 */
export function mergePeekPages(
  pages: Map<number, PeekPage>,
  cursor: PeekCursor,
  partitions: number,
  limit: number,
  newestFirst: boolean,
): MergedPeekPage {
  const taken: PeekedMessage[] = [];
  const heads = new Map([...pages].map(([k]) => [k, 0]));
  const before = (a: PeekedMessage, ka: number, b: PeekedMessage, kb: number) =>
    a.sentAt !== b.sentAt ? (newestFirst ? a.sentAt > b.sentAt : a.sentAt < b.sentAt) : ka < kb;
  while (taken.length < limit) {
    let pick: number | undefined;
    for (const [k, i] of heads) {
      const candidate = pages.get(k)!.messages[i];
      if (!candidate) continue;
      const best = pick === undefined ? undefined : pages.get(pick)!.messages[heads.get(pick)!];
      if (!best || before(candidate, k, best, pick!)) pick = k;
    }
    if (pick === undefined) break;
    const i = heads.get(pick)!;
    taken.push(pages.get(pick)!.messages[i]!);
    heads.set(pick, i + 1);
  }
  const next: PeekCursor = new Map(cursor);
  for (const [k, page] of pages) {
    const used = heads.get(k)!;
    if (used < page.messages.length) next.set(k, page.messages[used - 1]?.seq ?? positionOf(cursor, k));
    else next.set(k, page.next ?? "end");
  }
  for (const [k, at] of next) if (at === 0) next.delete(k);
  const oldest = [...pages.values()].flatMap((page) => (page.oldestEnqueuedAt === undefined ? [] : [page.oldestEnqueuedAt]));
  return {
    messages: taken,
    scanLimited: [...pages.values()].some((page) => page.scanLimited),
    ...(oldest.length > 0 ? { oldestEnqueuedAt: Math.min(...oldest) } : {}),
    ...optional("next", encodeCursor(next, partitions)),
  };
}

/** A partition's position in the cursor: 0 (its beginning) when it has not been started. */
function positionOf(cursor: PeekCursor, k: number): number {
  const at = cursor.get(k);
  return typeof at === "number" ? at : 0;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
