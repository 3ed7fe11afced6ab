/** DeleteMessage and DeleteMessageBatch: deleting messages by receipt handle. */
import { fail, ok, SqsErrors, type Outcome } from "../../sdk/protocol/index.js";
import type { QueueContext } from "./context.js";
import { decodeReceiptHandle, type HandleParts } from "./receipt-handle.js";
import type { QueueConfig } from "./types.js";
import type { MessageStores } from "./message-state.js";

/** Deletes the message of each handle; each answers on its own. Acknowledged once stored. */
export async function deleteMessages(ctx: QueueContext, config: QueueConfig, handles: string[]): Promise<Outcome<void>[]> {
  const key = await ctx.receiptKeys.of(config);
  const decoded = await Promise.all(handles.map((handle) => decodeReceiptHandle(key, handle)));
  const now = ctx.clock.now();
  const results = ctx.transactionSync(() =>
    decoded.map((parts, i): Outcome<void> => {
      if (!parts) return fail(SqsErrors.receiptHandleIsInvalid(handles[i]!));
      return deleteByHandle(ctx.stores, config.fifo, now, parts, handles[i]!);
    }),
  );
  await ctx.stores.segments.commit();
  // A FIFO delete may unblock its group's next message.
  if (config.fifo && ctx.waiters.size > 0) ctx.wakeWaiters(now);
  return results;
}

/**
 * Standard queues delete with any genuine handle of the message, stale or current. FIFO queues
 * refuse a handle whose visibility timeout has passed (the message may be another consumer's
 * by now). A handle of a message that is already gone succeeds: DeleteMessage is idempotent.
 */
export function deleteByHandle(
  stores: MessageStores,
  fifo: boolean,
  now: number,
  handle: HandleParts,
  rawHandle: string,
): Outcome<void> {
  if (!fifo) {
    stores.segments.remove(handle.seq);
    return ok(undefined);
  }
  const row = stores.segments.row(handle.seq);
  if (!row) return ok(undefined);
  if (row.receipt_gen !== handle.generation || row.visible_at <= now) return fail(expiredHandle(rawHandle));
  // The group index hears of it from the store: the next message becomes the group's head.
  stores.segments.remove(handle.seq);
  return ok(undefined);
}

export function expiredHandle(rawHandle: string) {
  return SqsErrors.invalidParameter("ReceiptHandle", rawHandle, "The receipt handle has expired.");
}
