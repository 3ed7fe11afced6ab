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
 * A FIFO receive retried with its ReceiveRequestAttemptId looks first where the first try did,
 * `fnv1a(attemptId) % N`, so the partition that answered it answers the retry with the same
 * messages.
 */
import type { ReceiveOutcome, ReceiveParams } from "../durable-objects/queue/types.js";
import { unwrap } from "./actions/handler.js";
import type { RequestContext } from "./context.js";
import { receiveOrWait, type Received } from "./long-poll.js";
import { believedEmptyNow, lookOrder, nextStart, noteQueueWaits, noteReceived, queueWaits } from "./partition-hints.js";
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
  if (partitions > 1) {
    const first = params.attemptId !== undefined ? fnv1a(params.attemptId) % partitions : undefined;
    const start = first ?? nextStart(ref, partitions);
    for (const k of lookOrder(ref, partitions, start, first, zeroInHubCall || asked0 ? 0 : undefined)) {
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
