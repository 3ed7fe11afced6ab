/**
 * Fair queues over partitions (durable-objects/partitions.md). A standard queue's grouped
 * messages go to their group's partition, so a noisy group fills one partition and leaves the
 * others to the quiet groups; each partition's engine is fair among the groups it holds. A
 * receive that took from one partition would still hand out that partition's noisy backlog while
 * a quiet group waits in another, so a fair queue's receive takes a share from several
 * partitions, then tops up from those that had more. Plain queues receive from one partition.
 *
 * A queue counts as fair in this isolate for a while after a send of a grouped message or a
 * receive whose partition said it holds groups; an isolate that has seen neither receives as for
 * a plain queue, until the first answer tells it.
 */
import type { ReceivedMessage, ReceiveParams } from "../durable-objects/queue/types.js";
import { unwrap } from "./actions/handler.js";
import type { RequestContext } from "./context.js";
import { partitionHandle } from "./partitions.js";
import { partitionStub, type QueueRef } from "./queue-url.js";

/** How long an isolate keeps treating a queue as fair after it last saw groups in it. */
const FAIR_TTL_MS = 60_000;
const MAX_REMEMBERED = 10_000;

const fairUntil = new Map<string, number>();
const key = (ref: QueueRef) => `${ref.accountId}/${ref.name}`;

/** The queue has grouped messages (a send of one, or a partition's answer said so). */
export function noteFair(ref: QueueRef): void {
  if (fairUntil.size >= MAX_REMEMBERED) fairUntil.clear();
  fairUntil.set(key(ref), Date.now() + FAIR_TTL_MS);
}

export function isFair(ref: QueueRef): boolean {
  return (fairUntil.get(key(ref)) ?? 0) > Date.now();
}

/**
 * A non-waiting receive that takes a share of `maxMessages` from each of up to that many
 * partitions from `start` on, then the rest from partitions that filled their share. Handles
 * carry their partition. `retryUntil` is the wait's deadline when nothing was found.
 */
export async function receiveSpread(
  ctx: RequestContext,
  ref: QueueRef,
  partitions: number,
  start: number,
  params: ReceiveParams,
): Promise<{ messages: ReceivedMessage[]; retryUntil?: number }> {
  const max = params.maxMessages;
  const visited = Math.min(partitions, max);
  const order = Array.from({ length: visited }, (_, i) => (start + i) % partitions);
  // Shares as even as whole messages allow: 10 over 4 partitions is 3, 3, 2, 2.
  const shares = order.map((_, i) => Math.floor(max / visited) + (i < max % visited ? 1 : 0));
  const answers = await Promise.all(
    order.map(async (k, i) => ({
      k,
      share: shares[i]!,
      outcome: unwrap(await partitionStub(ctx, ref, k).receive({ ...params, maxMessages: shares[i]!, probe: true })),
    })),
  );
  const messages: ReceivedMessage[] = [];
  let retryUntil: number | undefined;
  for (const { k, outcome } of answers) {
    for (const m of outcome.messages) messages.push({ ...m, receiptHandle: partitionHandle(k, m.receiptHandle) });
    retryUntil ??= outcome.retryUntil;
    if (outcome.fair) noteFair(ref);
  }
  // Top up from the partitions that had as much as their share: they may have more.
  for (const { k, share, outcome } of answers) {
    if (messages.length >= max) break;
    if (outcome.messages.length < share) continue;
    const more = unwrap(await partitionStub(ctx, ref, k).receive({ ...params, maxMessages: max - messages.length, probe: true }));
    for (const m of more.messages) messages.push({ ...m, receiptHandle: partitionHandle(k, m.receiptHandle) });
  }
  return { messages, retryUntil: messages.length > 0 ? undefined : retryUntil };
}
