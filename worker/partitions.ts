/**
 * A queue's partitions, Worker side: how many a queue has, which one a call goes to, and the
 * partition a receipt handle names (durable-objects/partitions.md has the design).
 */
import { PARTITION_TAG } from "../durable-objects/queue/types.js";
import { SqsErrors, type StringMap } from "../sdk/protocol/index.js";
import type { RequestContext } from "./context.js";
import { partitionStub, registryStub, type QueueRef } from "./queue-url.js";
import { unwrap } from "./actions/handler.js";
import type { Outcome } from "../sdk/protocol/index.js";

/** The queue tag that asks for partitions: unmodified SQS clients can send tags (stored on partition 0, which reads it too). */
export { PARTITION_TAG };
export const MAX_PARTITIONS = 64;

/**
 * How long a Worker isolate trusts a partition count it read. The count only ever grows, so a
 * stale one routes sends and receives to fewer partitions than there are, never to one that does
 * not exist: the messages of a newly added partition wait at most this long to be received by
 * an isolate that has not seen the raise. The count comes from the queue's partition 0 (it keeps
 * it beside the partition tag): a receive that finds it stale asks partition 0 first and reads
 * it from the answer; anything else asks partition 0 for it. The account's registry is read only
 * for a queue whose partition 0 does not know (stored before it kept the count), and its answer
 * is then stored in partition 0.
 */
const COUNT_TTL_MS = 10_000;
/** Queues whose count an isolate keeps; past it the cache starts again. */
const MAX_CACHED = 10_000;

const counts = new Map<string, { partitions: number; readAt: number }>();

const cacheKey = (ref: QueueRef) => `${ref.accountId}/${ref.name}`;

/** The queue's partition count, from this isolate's cache or the queue's partition 0. */
export async function partitionCount(ctx: Pick<RequestContext, "env">, ref: QueueRef, fresh = false): Promise<number> {
  const cached = counts.get(cacheKey(ref));
  if (!fresh && cached && Date.now() - cached.readAt < COUNT_TTL_MS) return cached.partitions;
  const told = await partitionStub(ctx, ref, 0).partitionCount();
  return told.ok ? learnPartitions(ctx, ref, told.value) : remember(ref, await registryStub(ctx, ref.accountId).partitions(ref.name));
}

/** The count this isolate holds for a queue, even a stale one (`stale` says so), if any. */
export function cachedPartitions(ref: QueueRef): { partitions: number; stale: boolean } | undefined {
  const cached = counts.get(cacheKey(ref));
  return cached && { partitions: cached.partitions, stale: Date.now() - cached.readAt >= COUNT_TTL_MS };
}

/**
 * What partition 0 said of the count (a receive's answer, or its `partitionCount`): remembered;
 * unknown, it is read from the registry and stored in partition 0 (which keeps the larger), so
 * the registry is read once for such a queue.
 */
export async function learnPartitions(ctx: Pick<RequestContext, "env">, ref: QueueRef, told: number | undefined): Promise<number> {
  if (told !== undefined) return remember(ref, told);
  const partitions = await registryStub(ctx, ref.accountId).partitions(ref.name);
  const stored = await partitionStub(ctx, ref, 0).setPartitionCount(partitions);
  return remember(ref, stored.ok ? stored.value : partitions);
}

export function remember(ref: QueueRef, partitions: number): number {
  if (counts.size >= MAX_CACHED) counts.clear();
  counts.set(cacheKey(ref), { partitions, readAt: Date.now() });
  return partitions;
}

export function forget(ref: QueueRef): void {
  counts.delete(cacheKey(ref));
}

/**
 * The value of the partition tag among `tags`, checked; undefined when the tag is absent. Any
 * queue accepts a valid value: a FIFO queue keeps it as a plain tag and stays one object.
 */
export function requestedPartitions(tags: StringMap | undefined): number | undefined {
  const value = tags?.[PARTITION_TAG];
  if (value === undefined) return undefined;
  const n = /^\d{1,2}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= MAX_PARTITIONS)) {
    throw SqsErrors.invalidParameterValue(
      `Tag ${PARTITION_TAG} must be a whole number of partitions from 1 to ${MAX_PARTITIONS}; got "${value}".`,
    );
  }
  return n;
}

/**
 * The count a queue's stored tags ask for: 1 without the tag, and 1 for a value stored before
 * the tag meant anything (an existing queue's tags were never checked by these rules).
 */
export function taggedPartitions(tags: StringMap): number {
  try {
    return requestedPartitions(tags) ?? 1;
  } catch {
    return 1;
  }
}

/** Whether a queue of this name can have more than one partition whatever its attributes: a standard queue. */
export function partitionable(name: string): boolean {
  return !isFifo(name);
}

const isFifo = (name: string) => name.endsWith(".fifo");

/**
 * Whether a FIFO queue with these attributes may have partitions: only in SQS's high-throughput
 * mode (FifoThroughputLimit=perMessageGroupId, which needs DeduplicationScope=messageGroup), where
 * order and deduplication are per group, so each group can live in one partition.
 */
export function highThroughputFifo(attributes: StringMap): boolean {
  return attributes.FifoThroughputLimit === "perMessageGroupId" && attributes.DeduplicationScope === "messageGroup";
}

// A group's partition (and the hash): shared with the engine's moves, so both place a group alike.
export { fnv1a, groupPartition } from "../durable-objects/queue/partition-routing.js";

/** Whether sends to this queue go by message group (a partitioned FIFO queue) rather than in rotation. */
export function routesByGroup(ref: QueueRef, partitions: number): boolean {
  return partitions > 1 && isFifo(ref.name);
}

/** Per-isolate rotation, from a random start so isolates do not all begin at partition 0. */
let turn = Math.floor(Math.random() * MAX_PARTITIONS);

/** The next partition in this isolate's rotation: sends and receives spread evenly. */
export function nextPartition(partitions: number): number {
  turn = (turn + 1) % (MAX_PARTITIONS * 1_000_000);
  return turn % partitions;
}

/**
 * Receipt handles of partition k ≥ 1 carry `k.` before the engine's own handle; the engine's
 * handles are base64url, without a dot, so the prefix is unambiguous. Partition 0's handles are
 * the engine's unchanged, as every handle of an unpartitioned queue always was.
 */
export function partitionHandle(k: number, handle: string): string {
  return k === 0 ? handle : `${k}.${handle}`;
}

const PREFIXED = /^([1-9]\d?)\.(.*)$/s;

/** The partition a handle names, and the engine's handle within it. */
export function splitHandle(handle: string): { partition: number; handle: string } {
  const match = PREFIXED.exec(handle);
  if (!match) return { partition: 0, handle };
  return { partition: Number(match[1]), handle: match[2]! };
}

/**
 * Groups items by the partition their receipt handle names. A handle naming a partition the
 * queue does not have goes, unchanged, to partition 0, which refuses it as it refuses any handle
 * not its own.
 */
export async function routeHandles<T>(
  ctx: Pick<RequestContext, "env">,
  ref: QueueRef,
  items: T[],
  handleOf: (item: T) => string,
): Promise<Map<number, { index: number; item: T; handle: string }[]>> {
  const split = items.map((item) => ({ item, ...splitHandle(handleOf(item)), raw: handleOf(item) }));
  let partitions = split.some((s) => s.partition > 0) ? await partitionCount(ctx, ref) : 1;
  // A partition added since this isolate read the count: read it again before refusing.
  if (split.some((s) => s.partition >= partitions)) partitions = await partitionCount(ctx, ref, true);
  const groups = new Map<number, { index: number; item: T; handle: string }[]>();
  split.forEach((s, index) => {
    const [k, handle] = s.partition < partitions ? [s.partition, s.handle] : [0, s.raw];
    let group = groups.get(k);
    if (!group) groups.set(k, (group = []));
    group.push({ index, item: s.item, handle });
  });
  return groups;
}

type PartitionStub = ReturnType<typeof partitionStub>;

/**
 * Runs a per-handle call (deletes, visibility changes) on the partitions the handles name, in
 * parallel, and answers the per-item outcomes in the items' order. A failure of the whole call on
 * any partition (the queue is gone) fails the request, as it does for one object.
 */
export async function callByHandle<T, R>(
  ctx: Pick<RequestContext, "env">,
  ref: QueueRef,
  items: T[],
  handleOf: (item: T) => string,
  call: (stub: PartitionStub, items: { item: T; handle: string }[]) => Promise<Outcome<Outcome<R>[]>>,
): Promise<Outcome<R>[]> {
  const groups = await routeHandles(ctx, ref, items, handleOf);
  const results: Outcome<R>[] = new Array(items.length);
  await Promise.all(
    [...groups].map(async ([k, group]) => {
      const outcomes = unwrap(await call(partitionStub(ctx, ref, k), group));
      outcomes.forEach((outcome, i) => (results[group[i]!.index] = outcome));
    }),
  );
  return results;
}
