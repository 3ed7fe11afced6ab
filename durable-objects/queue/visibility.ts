/** ChangeMessageVisibility and its batch. */
import { fail, ok, SqsErrors, type Outcome } from "../../sdk/protocol/index.js";
import type { QueueContext } from "./context.js";
import { expiredHandle } from "./delete.js";
import { decodeReceiptHandle, type HandleParts } from "./receipt-handle.js";
import type { QueueConfig, VisibilityChange } from "./types.js";
import { setVisibleAt, type MessageStores } from "./message-state.js";

/** Changes each message's visibility; each answers on its own. Acknowledged once stored. */
export async function changeVisibilities(ctx: QueueContext, config: QueueConfig, changes: VisibilityChange[]): Promise<Outcome<void>[]> {
  const key = await ctx.receiptKeys.of(config);
  const decoded = await Promise.all(changes.map((change) => decodeReceiptHandle(key, change.receiptHandle)));
  const now = ctx.clock.now();
  const results = ctx.transactionSync(() =>
    decoded.map((parts, i): Outcome<void> => {
      const change = changes[i]!;
      if (!parts) return fail(SqsErrors.receiptHandleIsInvalid(change.receiptHandle));
      return changeVisibility(ctx.stores, config.fifo, now, parts, change.receiptHandle, change.visibilityTimeout);
    }),
  );
  await ctx.stores.segments.commit();
  if (ctx.waiters.size > 0) ctx.wakeWaiters(now);
  return results;
}

/** In-flight time is capped at 12 hours from the receive that issued the handle. */
const MAX_IN_FLIGHT_MS = 43_200_000;

/**
 * Sets the message's visibility deadline to now + timeout, for a message that still exists.
 * A FIFO queue wants the latest handle, within its visibility timeout. A standard queue takes
 * any handle a receive gave out for the message, also an earlier one: recorded against AWS,
 * receive with VisibilityTimeout 0 (handle 1), receive again (handle 2), then
 * ChangeMessageVisibility(handle 1, 0) succeeds and the message is receivable again. Only while
 * a move holds the message (claimForMove, claimStep: last_receive_at is NULL then) is an earlier
 * handle refused, so no consumer can hand back a message mid-move.
 */
export function changeVisibility(
  stores: MessageStores,
  fifo: boolean,
  now: number,
  handle: HandleParts,
  rawHandle: string,
  visibilityTimeoutSeconds: number,
): Outcome<void> {
  const row = stores.segments.row(handle.seq);
  if (!row || row.receive_count === 0 || !handleAccepted(fifo, row, handle)) {
    return fail(
      SqsErrors.invalidParameter(
        "ReceiptHandle",
        rawHandle,
        "Message does not exist or is not available for visibility timeout change.",
      ),
    );
  }
  if (fifo && row.visible_at <= now) return fail(expiredHandle(rawHandle));
  const visibleAt = now + visibilityTimeoutSeconds * 1000;
  if (row.last_receive_at !== null && visibleAt - row.last_receive_at > MAX_IN_FLIGHT_MS) {
    return fail(
      SqsErrors.invalidParameter(
        "VisibilityTimeout",
        visibilityTimeoutSeconds,
        "Total VisibilityTimeout for the message is beyond the limit [43200 seconds]",
      ),
    );
  }
  // Where the receive state lives: a lease in memory, or stored (a claim, a durable receive).
  setVisibleAt(stores, row, visibleAt);
  return ok(undefined);
}

function handleAccepted(
  fifo: boolean,
  row: { receipt_gen: number; last_receive_at: number | null },
  handle: HandleParts,
): boolean {
  if (handle.generation === row.receipt_gen) return true;
  return !fifo && handle.generation < row.receipt_gen && row.last_receive_at !== null;
}
