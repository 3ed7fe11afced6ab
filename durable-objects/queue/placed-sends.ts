/**
 * Sends and letters into a partition of a high-throughput FIFO queue whose count was raised: each
 * group goes where group-homes.ts says, and is stored here only when it belongs here.
 */
import { fail, SqsError, type Outcome } from "../../sdk/protocol/index.js";
import type { QueueContext } from "./context.js";
import { letterKnown, storeLetters } from "./dead-letter.js";
import { findFifoDuplicate } from "./dedup.js";
import { placeByGroup, takeIfPresent, type Placement } from "./group-homes.js";
import type { DeadLetter, StoreLettersOptions } from "./message-types.js";
import { checkFifoRequest, storeMessages, withContentDedupIds, type IncomingMessage } from "./send.js";
import { queueArn, type GroupRouting, type IfPresentAnswer, type NewMessage, type QueueConfig, type SentMessage } from "./types.js";

const NOT_ANSWERED: IfPresentAnswer<never>["handover"] = { dedup: [], floor: 0 };

/** How sent messages are placed: recognised by their send id or deduplication id, stored by send.ts. */
function messagePlacement(ctx: QueueContext, config: QueueConfig, batch: boolean): Placement<IncomingMessage, Outcome<SentMessage>> {
  const arn = queueArn(config);
  return {
    groupOf: (m) => m.groupId!,
    knownHere: (m) => {
      const now = ctx.clock.now();
      if (m.sendId !== undefined && ctx.stores.sendIds?.find(m.sendId, now)) return true;
      const dedupId = m.dedupId ?? m.contentDedupId;
      return dedupId !== undefined && findFifoDuplicate(ctx.sql, m.groupId!, dedupId, now) !== undefined;
    },
    storeHere: (items) => {
      if (items.length === 0) return [];
      const now = ctx.clock.now();
      return ctx.transactionSync(() => {
        const stored = storeMessages(ctx.stores, config, now, items, batch, () => ctx.nextSeq(now));
        ctx.stores.segments.flush();
        return stored;
      });
    },
    forward: async (k, items) => {
      const outcome = await ctx.queues.peer(arn, k).send(items, batch);
      return outcome.ok ? outcome.value : items.map(() => fail(SqsError.fromData(outcome.error)));
    },
    askIfPresent: async (k, items) => {
      const outcome = await ctx.queues.peer(arn, k).sendIfPresent(items, batch);
      return outcome.ok ? outcome.value : { results: items.map(() => fail(SqsError.fromData(outcome.error))), handover: NOT_ANSWERED };
    },
  };
}

/** SendMessage(Batch) into a partition of a raised queue. */
export async function sendPlaced(
  ctx: QueueContext,
  config: QueueConfig,
  routing: GroupRouting,
  messages: NewMessage[],
  batch: boolean,
): Promise<Outcome<SentMessage>[]> {
  checkFifoRequest(config, messages, batch);
  const incoming = await withContentDedupIds(config, messages);
  const results = await placeByGroup(ctx, routing, incoming, messagePlacement(ctx, config, batch));
  await ctx.stores.segments.commit();
  return results;
}

/** Another partition asks this one to take messages only if their group is here. */
export async function sendIfPresent(
  ctx: QueueContext,
  config: QueueConfig,
  messages: NewMessage[],
  batch: boolean,
): Promise<IfPresentAnswer<Outcome<SentMessage>>> {
  const incoming = await withContentDedupIds(config, messages);
  const answer = takeIfPresent(ctx, incoming, messagePlacement(ctx, config, batch));
  await ctx.stores.segments.commit();
  return answer;
}

/** How letters from another queue are placed: recognised by their origin, stored by dead-letter.ts. */
function letterPlacement(ctx: QueueContext, config: QueueConfig, options: StoreLettersOptions): Placement<DeadLetter, Outcome<number>> {
  const arn = queueArn(config);
  return {
    groupOf: (letter) => letter.groupId ?? "default",
    knownHere: (letter) => letterKnown(ctx.sql, letter, ctx.clock.now()),
    storeHere: (letters) => {
      if (letters.length === 0) return [];
      const now = ctx.clock.now();
      return ctx.transaction(() =>
        letters.map((letter) => ({ ok: true as const, value: storeLetters(ctx.stores, config, now, [letter], options, () => ctx.nextSeq(now)) })),
      );
    },
    forward: async (k, letters) => {
      const outcome = await ctx.queues.peer(arn, k).acceptLetters(letters, options);
      // The part's count, on its first letter: the caller answers the sum.
      return letters.map((_, j) => (outcome.ok ? { ok: true as const, value: j === 0 ? outcome.value : 0 } : outcome));
    },
    askIfPresent: async (k, letters) => {
      const outcome = await ctx.queues.peer(arn, k).acceptLettersIfPresent(letters, options);
      return outcome.ok ? outcome.value : { results: letters.map(() => outcome), handover: NOT_ANSWERED };
    },
  };
}

/** Letters into a partition of a raised queue; answers how many were new, or the first refusal. */
export async function acceptLettersPlaced(
  ctx: QueueContext,
  config: QueueConfig,
  routing: GroupRouting,
  letters: DeadLetter[],
  options: StoreLettersOptions,
): Promise<number> {
  const results = await placeByGroup(ctx, routing, letters, letterPlacement(ctx, config, options));
  let stored = 0;
  for (const result of results) {
    if (!result.ok) throw SqsError.fromData(result.error);
    stored += result.value;
  }
  return stored;
}

/** Another partition asks this one to take letters only if their group is here. */
export function acceptLettersIfPresent(
  ctx: QueueContext,
  config: QueueConfig,
  letters: DeadLetter[],
  options: StoreLettersOptions,
): IfPresentAnswer<Outcome<number>> {
  return takeIfPresent(ctx, letters, letterPlacement(ctx, config, options));
}
