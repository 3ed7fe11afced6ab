/**
 * A ReceiveMessage's calls to the queue objects, whatever the queue's number of partitions
 * (durable-objects/partitions.md, "Receives" and "Long polls").
 *
 * 1. When this isolate's partition count is stale or unknown, a receive that does not wait asks
 *    partition 0 first: its answer carries the count (worker/partitions.ts).
 * 2. On a partitioned queue it then looks at the partitions the depth hints say may have
 *    messages, from the next in the queue's rotation of receives, and one believed empty (partition-hints.ts), until
 *    one delivers. An empty queue so costs one call per receive, not one per partition.
 * 3. A receive that may wait ends with the hub call on partition 0 (long-poll.ts): a receive
 *    that parks a socket there when it finds nothing, woken when any partition gets messages.
 *    On an unpartitioned queue an idle long poll is that one call; while the hints say partition
 *    0 may have messages, an ordinary receive comes first (it usually delivers, by RPC).
 * A FIFO receive with a ReceiveRequestAttemptId looks at every partition, whatever the hints,
 * first at the one that answered the attempt in this isolate, else at `fnv1a(attemptId) % N`, so
 * the partition that answered a first try answers its retry with the same messages.
 */
import type { ReceiveOutcome, ReceiveParams } from "../durable-objects/queue/types.js";
import { unwrap } from "./actions/handler.js";
import type { RequestContext } from "./context.js";
import { isFair, noteFair, receiveSpread } from "./fair-receive.js";
import { receiveOrWait, type Received } from "./long-poll.js";
import {
  attemptPartition,
  believedEmptyNow,
  everyFrom,
  lookOrder,
  nextStart,
  noteAttempt,
  noteQueueWaits,
  noteReceived,
  queueWaits,
} from "./partition-hints.js";
import { cachedPartitions, fnv1a, learnPartitions } from "./partitions.js";
import { partitionStub, type QueueRef } from "./queue-url.js";

export async function receiveFromQueue(ctx: RequestContext, ref: QueueRef, params: ReceiveParams): Promise<Received> {
  const known = cachedPartitions(ref);
  let partitions = known?.partitions ?? 1;
  const says = params.waitTimeSeconds;
  // Whether this receive may wait: as asked, else as the queue's default did last time.
  let waits = says !== undefined ? says > 0 : queueWaits(ref);
  let asked0 = false;
  /** The poll's deadline, once an answer resolved it: later looks wait until the same one. */
  let waitUntil: number | undefined;

  const learn = async (outcome: ReceiveOutcome) => {
    noteReceived(ref, 0, outcome);
    if (outcome.messages.length > 0 && params.attemptId !== undefined) noteAttempt(ref, params.attemptId, 0);
    asked0 = true;
    partitions = await learnPartitions(ctx, ref, outcome.partitions);
    if (says === undefined && outcome.messages.length === 0) noteQueueWaits(ref, outcome.retryUntil !== undefined);
  };
  const look = async (k: number, until = waitUntil): Promise<ReceiveOutcome> => {
    const outcome = unwrap(
      await partitionStub(ctx, ref, k).receive({ ...params, probe: true, ...(until !== undefined ? { waitUntil: until } : {}) }),
    );
    if (k === 0) await learn(outcome);
    else noteReceived(ref, k, outcome);
    if (outcome.fair) noteFair(ref);
    if (k > 0 && outcome.messages.length > 0 && params.attemptId !== undefined) noteAttempt(ref, params.attemptId, k);
    if (outcome.messages.length === 0 && outcome.retryUntil !== undefined) {
      waitUntil ??= outcome.retryUntil;
      waits = true;
    }
    return outcome;
  };

  // A poll that may wait looks at partition 0 in the hub call itself, unless partition 0 may have
  // messages: then an ordinary receive first, so a busy queue's long polls cost what they did.
  const zeroInHubCall = waits && believedEmptyNow(ref, 0);
  if (!zeroInHubCall && (!known || known.stale)) {
    const outcome = await look(0);
    if (outcome.messages.length > 0) return { k: 0, outcome };
  }
  // A fair queue takes a share from several partitions (fair-receive.ts); its handles carry their partition.
  if (partitions > 1 && params.attemptId === undefined && !ref.name.endsWith(".fifo") && isFair(ref)) {
    const spread = await receiveSpread(ctx, ref, partitions, nextStart(ref, partitions), waitUntil !== undefined ? { ...params, waitUntil } : params);
    if (spread.messages.length > 0) return { k: 0, outcome: { messages: spread.messages } };
    if (spread.retryUntil !== undefined) {
      waitUntil ??= spread.retryUntil;
      waits = true;
    }
  }
  if (partitions > 1) {
    const skip = zeroInHubCall || asked0 ? 0 : undefined;
    const attemptId = params.attemptId;
    const order =
      attemptId === undefined
        ? lookOrder(ref, partitions, nextStart(ref, partitions), undefined, skip)
        : everyFrom(partitions, attemptPartition(ref, attemptId) ?? fnv1a(attemptId) % partitions, skip);
    for (const k of order) {
      const outcome = await look(k);
      if (outcome.messages.length > 0) return { k, outcome };
    }
  } else if (!zeroInHubCall && !asked0) {
    const outcome = await look(0);
    if (outcome.messages.length > 0) return { k: 0, outcome };
  }
  if (!waits) return { k: 0, outcome: { messages: [] } };
  return receiveOrWait(ctx, ref, waitUntil !== undefined ? { ...params, waitUntil } : params, {
    look,
    others: () => (partitions > 1 ? lookOrder(ref, partitions, nextStart(ref, partitions), undefined, 0) : []),
    answered: learn,
  });
}
