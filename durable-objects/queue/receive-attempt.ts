/**
 * ReceiveRequestAttemptId (FIFO): a retried receive with the same attempt id within five
 * minutes gets the same messages and the same receipt handles, with their visibility timeout
 * reset. AWS documents the limits of a replay: "if none of the messages
 * have been modified (deleted or had their visibility changes)" and "during a visibility
 * timeout". So a replay needs every message still there, with the handle that attempt issued,
 * the visibility deadline that attempt (or its last replay) set, and that deadline not passed.
 * Otherwise the retry is an ordinary receive (AWS may answer it with an error instead; see the
 * spec's note — an ordinary receive never hands out a message that is someone else's).
 */
import { DEDUPLICATION_WINDOW_MS } from "../../sdk/protocol/index.js";
import { setVisibleAt, toPicked, type MessageStores } from "./message-state.js";
import type { MessageRow, PickedMessage } from "./message-types.js";
import type { Sql } from "../sql.js";

interface AttemptMessage {
  seq: number;
  generation: number;
  /** Visibility deadline this attempt set; absent in attempts stored before it was recorded. */
  visibleAt?: number;
}

/** The messages of an earlier attempt, made invisible again; undefined when it can't be replayed. */
export function replayAttempt(
  stores: MessageStores,
  attemptId: string,
  now: number,
  visibilityTimeoutSeconds: number,
): PickedMessage[] | undefined {
  const { sql } = stores;
  const row = sql.one<{ handles: string }>(
    "SELECT handles FROM receive_attempts WHERE attempt_id = ? AND expires_at > ?",
    attemptId,
    now,
  );
  if (!row) return undefined;
  const attempt = JSON.parse(row.handles) as AttemptMessage[];
  const rows = attempt.map(({ seq }) => stores.segments.row(seq));
  if (!rows.every((r, i): r is MessageRow => r !== undefined && unchanged(r, attempt[i]!, now))) return undefined;
  const visibleAt = now + visibilityTimeoutSeconds * 1000;
  const picked = rows.map((r) => {
    setVisibleAt(stores, r, visibleAt);
    return toPicked({ ...r, visible_at: visibleAt });
  });
  // The reset deadline is now the one a further retry must find unchanged.
  saveHandles(sql, attemptId, attempt.map((a) => ({ ...a, visibleAt })));
  return picked;
}

/** Still in flight from this attempt: not received again, visibility not changed, not expired. */
function unchanged(row: MessageRow, sent: AttemptMessage, now: number): boolean {
  if (row.receipt_gen !== sent.generation || row.visible_at <= now) return false;
  return sent.visibleAt === undefined || row.visible_at === sent.visibleAt;
}

/** Remembers what a receive with this attempt id delivered, for five minutes from now. */
export function recordAttempt(stores: MessageStores, attemptId: string, picked: PickedMessage[], now: number): void {
  const { sql } = stores;
  const handles: AttemptMessage[] = picked.map((p) => ({
    seq: p.seq,
    generation: p.generation,
    visibleAt: stores.segments.visibleAtOf(p.seq),
  }));
  sql.run(
    `INSERT INTO receive_attempts (attempt_id, handles, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (attempt_id) DO UPDATE SET handles = excluded.handles, expires_at = excluded.expires_at`,
    attemptId,
    JSON.stringify(handles),
    now + DEDUPLICATION_WINDOW_MS,
  );
}

function saveHandles(sql: Sql, attemptId: string, handles: AttemptMessage[]): void {
  sql.run("UPDATE receive_attempts SET handles = ? WHERE attempt_id = ?", JSON.stringify(handles), attemptId);
}
