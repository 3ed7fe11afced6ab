/**
 * ReceiveMessage inside the queue object: the in-flight limit, the pick (and FIFO attempt
 * replay), moving dead letters out of the way, receipt handles, and the long-poll wait. The
 * queue's picker (picker.ts) chooses the messages.
 */
import { MAX_IN_FLIGHT_MESSAGES, SqsErrors } from "../../sdk/protocol/index.js";
import type { QueueContext, ReceiveState } from "./context.js";
import type { MessageStores } from "./message-state.js";
import type { PickedMessage, PickOptions, PickResult } from "./message-types.js";
import type { Picker } from "./picker.js";
import { encodeReceiptHandle } from "./receipt-handle.js";
import { recordAttempt, replayAttempt } from "./receive-attempt.js";
import { redrivePolicyOf } from "./redrive-policy.js";
import { moveDeadLetters } from "./transfer.js";
import type { QueueConfig, ReceivedMessage, ReceiveOutcome, ReceiveParams } from "./types.js";

type ReceiveContext = QueueContext;
type PickBase = Omit<PickOptions, "maxReceiveCount">;
type FirstPick = PickResult & { replayed?: boolean };

/** Receives up to `params.maxMessages` messages, or waits for one as long as the poll allows. */
export async function receiveMessages(ctx: ReceiveContext, config: QueueConfig, params: ReceiveParams): Promise<ReceiveOutcome> {
  const now = ctx.clock.now();
  const visibility = params.visibilityTimeout ?? Number(config.attributes.VisibilityTimeout);
  const retention = Number(config.attributes.MessageRetentionPeriod);
  // FIFO queues have no OverLimit error: a receive at the limit just returns fewer messages.
  // Receives count towards maxReceiveCount only where a RedrivePolicy is: only there must they survive a crash.
  const stores: MessageStores = { ...ctx.stores, durableReceives: redrivePolicyOf(config) !== undefined };
  const max = config.fifo ? params.maxMessages : checkInFlightLimit(stores, ctx.state, now, params.maxMessages);
  const options: PickBase = { now, max, visibilityTimeoutSeconds: visibility, retentionSeconds: retention };
  const first = writeThrough(ctx, () => {
    const result = pick(stores, ctx.picker, config, params, options, true);
    // Usually this pick is all the receive delivers: its attempt is saved with it, atomically.
    if (result.dead.length === 0 && !result.replayed) saveAttempt(stores, config, params, result.picked, now);
    return result;
  });
  const picked = first.dead.length === 0 ? first.picked : await deliverPastDeadLetters(ctx, stores, config, params, options, first);
  if (picked.length > 0) {
    await ctx.stores.segments.commit();
    ctx.state.inFlightBound = (ctx.state.inFlightBound ?? 0) + picked.length;
    return { messages: await withReceiptHandles(await ctx.receiptKeys.of(config), picked) };
  }
  const waitUntil = params.waitUntil ?? now + (params.waitTimeSeconds ?? Number(config.attributes.ReceiveMessageWaitTimeSeconds)) * 1000;
  if (waitUntil <= now) return { messages: [] };
  if (params.probe) return { messages: [], retryUntil: waitUntil };
  return (await waitForMessage(ctx, waitUntil - now, now)) ? { messages: [], retryUntil: waitUntil } : { messages: [] };
}

/**
 * A transaction that writes the segments' changes before it ends: a dead letter's claim must be
 * stored before its copy leaves. (The same as `ctx.transaction`, written here so that a receive
 * runs no code of the queue object's wiring: storage.md, how a ReceiveMessage flows.)
 */
function writeThrough<T>(ctx: ReceiveContext, fn: () => T): T {
  return ctx.transactionSync(() => {
    const result = fn();
    ctx.stores.segments.flush();
    return result;
  });
}

/**
 * Standard queues never hold more than 120,000 messages in flight: a receive takes at most
 * what is left under the limit, and is refused with OverLimit only when nothing is left.
 * Returns how many messages this receive may take.
 */
function checkInFlightLimit(stores: MessageStores, state: ReceiveState, now: number, wanted: number): number {
  if (state.inFlightBound !== undefined && state.inFlightBound + wanted <= MAX_IN_FLIGHT_MESSAGES) return wanted;
  state.inFlightBound = stores.segments.inFlight(now, MAX_IN_FLIGHT_MESSAGES);
  const room = MAX_IN_FLIGHT_MESSAGES - state.inFlightBound;
  if (room <= 0) {
    throw SqsErrors.overLimit(`Too many messages in flight: the limit of ${MAX_IN_FLIGHT_MESSAGES} is reached.`);
  }
  return Math.min(wanted, room);
}

/**
 * Dead letters are moved, not delivered; the receive then tries again for deliverable ones.
 * Only the first pick may replay an attempt: a later one would append its messages again.
 */
async function deliverPastDeadLetters(
  ctx: ReceiveContext,
  stores: MessageStores,
  config: QueueConfig,
  params: ReceiveParams,
  options: PickBase,
  first: FirstPick,
): Promise<PickedMessage[]> {
  let { picked, dead } = first;
  for (let round = 1; dead.length > 0; round++) {
    picked = picked.concat(await moveDeadLetters(ctx, config, dead, options.visibilityTimeoutSeconds));
    dead = [];
    // Every claimed letter is moved before leaving; at most three picks per receive.
    if (picked.length >= options.max || round === 3) break;
    const now = ctx.clock.now();
    const more = writeThrough(ctx, () =>
      pick(stores, ctx.picker, config, params, { ...options, now, max: options.max - picked.length }, false),
    );
    picked = picked.concat(more.picked);
    dead = more.dead;
  }
  // After dead-letter moves the attempt is saved once, with everything this receive delivers.
  writeThrough(ctx, () => saveAttempt(stores, config, params, picked, options.now));
  return picked;
}

/**
 * The queue's picker chooses (picker.ts). On a FIFO queue the first pick of a receive may replay
 * an attempt instead (the receive records new attempts itself, once it knows all it delivers).
 */
function pick(
  stores: MessageStores,
  picker: Picker,
  config: QueueConfig,
  params: ReceiveParams,
  base: PickBase,
  mayReplay: boolean,
): FirstPick {
  const options: PickOptions = { ...base, maxReceiveCount: redrivePolicyOf(config)?.maxReceiveCount };
  if (config.fifo && mayReplay && params.attemptId !== undefined) {
    const replayed = replayAttempt(stores, params.attemptId, options.now, options.visibilityTimeoutSeconds);
    if (replayed) return { picked: replayed, dead: [], replayed: true };
  }
  return picker.pick(stores, options);
}

/** FIFO: remembers what a receive with a ReceiveRequestAttemptId delivered, so a retry can replay it. */
function saveAttempt(stores: MessageStores, config: QueueConfig, params: ReceiveParams, picked: PickedMessage[], now: number): void {
  if (config.fifo && params.attemptId !== undefined && picked.length > 0) {
    recordAttempt(stores, params.attemptId, picked, now);
  }
}

function withReceiptHandles(key: CryptoKey, picked: PickedMessage[]): Promise<ReceivedMessage[]> {
  return Promise.all(
    picked.map(async ({ seq, generation, ...message }) => ({
      ...message,
      receiptHandle: await encodeReceiptHandle(key, { seq, generation }),
    })),
  );
}

/** Resolves true when woken (the caller receives again), false when the wait ran out. */
function waitForMessage(ctx: ReceiveContext, timeoutMs: number, now: number): Promise<boolean> {
  const woken = ctx.waiters.wait(timeoutMs);
  // Checked after registering: the timer for the next visible message is only armed while someone waits.
  ctx.wakeWaiters(now);
  return woken;
}
