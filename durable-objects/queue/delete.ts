/** Deleting messages by receipt handle (sqs-spec.md 4.4). */
import { fail, ok, SqsErrors, type Outcome } from "../../sdk/protocol/index.js";
import type { HandleParts } from "./receipt-handle.js";
import type { MessageStores } from "./message-state.js";

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
