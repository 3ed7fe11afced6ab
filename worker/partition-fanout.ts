/**
 * Queue-wide actions on a partitioned queue: partition 0 answers for the queue (its settings,
 * tags and Policy), the others follow it (durable-objects/partitions.md).
 */
import { SqsError, SqsErrors, type Outcome, type StringMap } from "../sdk/protocol/index.js";
import { unwrap } from "./actions/handler.js";
import type { RequestContext } from "./context.js";
import { partitionCount } from "./partitions.js";
import { partitionStub, type QueueRef } from "./queue-url.js";
import type { GroupRouting } from "../durable-objects/queue/types.js";

type PartitionStub = ReturnType<typeof partitionStub>;

/** How long after a raise of a high-throughput FIFO queue the next is refused: past every Worker's cached count (worker/partitions.ts). */
const RAISE_INTERVAL_MS = 15_000;

/** The counters that are the queue's sum over its partitions; every other attribute is partition 0's. */
const SUMMED = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"];

/**
 * Runs `call` on partition 0 and, once it succeeded, on every other partition in parallel. An
 * error of partition 0 is the request's (it validates for the queue); `tolerate` names the errors
 * a later partition may answer without failing the request (it was reached by an earlier try).
 */
export async function onEveryPartition<T>(
  ctx: RequestContext,
  ref: QueueRef,
  call: (stub: PartitionStub) => Promise<Outcome<T>>,
  tolerate: string[] = [],
): Promise<T> {
  const partitions = await partitionCount(ctx, ref, true);
  const first = unwrap(await call(partitionStub(ctx, ref, 0)));
  await Promise.all(
    Array.from({ length: partitions - 1 }, async (_, i) => {
      const outcome = await call(partitionStub(ctx, ref, i + 1));
      if (!outcome.ok && !tolerate.includes(outcome.error.code)) throw SqsError.fromData(outcome.error);
    }),
  );
  return first;
}

/** GetQueueAttributes: partition 0's attributes, with the Approximate* counters summed over all partitions. */
export async function queueAttributes(ctx: RequestContext, ref: QueueRef, names: string[]): Promise<StringMap> {
  const partitions = await partitionCount(ctx, ref);
  const attributes = unwrap(await partitionStub(ctx, ref, 0).getAttributes(names));
  const counted = SUMMED.filter((name) => name in attributes);
  if (partitions === 1 || counted.length === 0) return attributes;
  const others = await Promise.all(
    Array.from({ length: partitions - 1 }, async (_, i) => unwrap(await partitionStub(ctx, ref, i + 1).getAttributes(counted))),
  );
  for (const name of counted) {
    attributes[name] = String(others.reduce((sum, more) => sum + Number(more[name] ?? 0), Number(attributes[name])));
  }
  return attributes;
}

/**
 * DeleteQueue: the other partitions first, partition 0 last, so the queue exists until the end
 * and a retry after a failure part-way finds it and finishes.
 */
export async function deleteEveryPartition(ctx: RequestContext, ref: QueueRef): Promise<void> {
  const partitions = await partitionCount(ctx, ref, true);
  await Promise.all(
    Array.from({ length: partitions - 1 }, async (_, i) => {
      const outcome = await partitionStub(ctx, ref, i + 1).deleteQueue();
      if (!outcome.ok && outcome.error.code !== "QueueDoesNotExist") throw SqsError.fromData(outcome.error);
    }),
  );
  unwrap(await partitionStub(ctx, ref, 0).deleteQueue());
}

/**
 * Makes partitions `from` to `to - 1` of a queue whose partition 0 exists, each with partition
 * 0's current attributes and no tags (tags and the Policy are read from partition 0 only). Run
 * before the registry records the new count, so nothing is routed to a partition not yet made;
 * a repeat finds them made (CreateQueue is idempotent for equal attributes).
 */
export async function createPartitions(
  ctx: RequestContext,
  ref: QueueRef,
  from: number,
  to: number,
  attributes?: StringMap,
): Promise<void> {
  if (to <= from) return;
  const settings = attributes ?? unwrap(await partitionStub(ctx, ref, 0).describe()).attributes;
  await Promise.all(
    Array.from({ length: to - from }, async (_, i) =>
      unwrap(
        await partitionStub(ctx, ref, from + i).create({
          name: ref.name,
          accountId: ref.accountId,
          region: ctx.region,
          attributes: settings,
          tags: {},
        }),
      ),
    ),
  );
}

/**
 * Raises a high-throughput FIFO queue from `from` to `to` partitions without moving a group that
 * has messages (durable-objects/queue/group-homes.ts): the new partitions are made and told the
 * routing first, then the old ones, and only then does the registry route to the new count. Until
 * an old partition knows the routing it stores the groups it is sent as before; once it knows, it
 * sends on the groups it does not hold, and the groups' homes ask it before taking one. A repeat
 * after a failure part-way finds the routing set and finishes.
 */
export async function raiseGroupPartitions(ctx: RequestContext, ref: QueueRef, from: number, to: number): Promise<void> {
  const first = partitionStub(ctx, ref, 0);
  const known = unwrap(await first.routeGroups());
  // A Worker may route by a count read before the last raise for COUNT_TTL_MS; an old partition
  // not yet told the new routing would take such a Worker's group as its home.
  if (known && known.partitions !== to && Date.now() - known.raisedAt < RAISE_INTERVAL_MS) {
    throw SqsErrors.invalidParameterValue(
      `Queue ${ref.name} was given partitions less than ${RAISE_INTERVAL_MS / 1000} seconds ago; raise it again after that.`,
    );
  }
  const routing: GroupRouting =
    known?.partitions === to
      ? known
      : { partitions: to, earlier: [from, ...(known?.earlier ?? [])].filter((n, i, all) => all.indexOf(n) === i), raisedAt: Date.now() };
  // Partition 0 refuses a queue that cannot have partitions before anything is made.
  unwrap(await first.routeGroups(routing, true));
  await createPartitions(ctx, ref, from, to);
  // The new partitions know the routing before an old one can send a group on to them.
  const route = (k: number) => partitionStub(ctx, ref, k).routeGroups(routing).then(unwrap);
  await Promise.all(Array.from({ length: to - from }, (_, i) => route(from + i)));
  // Partition 0 next: from then on its seqs end in 0 too, before any old partition sends a group on.
  await route(0);
  await Promise.all(Array.from({ length: from - 1 }, (_, i) => route(i + 1)));
}
