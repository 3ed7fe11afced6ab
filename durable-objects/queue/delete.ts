/** Deleting messages by receipt handle (sqs-spec.md 4.4). */
import type { Sql } from "./sql.js";
import type { HandleParts } from "./receipt-handle.js";

/**
 * Standard queues delete with any genuine handle of the message, stale or current, and a
 * handle of a message that is already gone succeeds too: DeleteMessage is idempotent.
 */
export function deleteByHandle(sql: Sql, handle: HandleParts): void {
  sql.run("DELETE FROM messages WHERE seq = ?", handle.seq);
}
