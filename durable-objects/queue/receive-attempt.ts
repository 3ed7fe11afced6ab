/**
 * ReceiveRequestAttemptId (FIFO): a retried receive with the same attempt id within five
 * minutes gets the same messages and the same receipt handles, with their visibility timeout
 * reset, as long as none of them was deleted or received again since (sqs-spec.md section 5).
 */
import { DEDUPLICATION_WINDOW_MS } from "../../sdk/protocol/index.js";
import { refreshGroup } from "./fifo-groups.js";
import { toPicked, type MessageRow, type PickedMessage } from "./receive.js";
import type { Sql } from "./sql.js";

interface Attempt {
  seq: number;
  generation: number;
}

/** The messages of an earlier attempt, made invisible again; undefined when it can't be replayed. */
export function replayAttempt(
  sql: Sql,
  attemptId: string,
  now: number,
  visibilityTimeoutSeconds: number,
): PickedMessage[] | undefined {
  const row = sql.one<{ handles: string }>(
    "SELECT handles FROM receive_attempts WHERE attempt_id = ? AND expires_at > ?",
    attemptId,
    now,
  );
  if (!row) return undefined;
  const attempt = JSON.parse(row.handles) as Attempt[];
  const rows = attempt.map(({ seq }) => sql.one<MessageRow>("SELECT * FROM messages WHERE seq = ?", seq));
  if (rows.some((r, i) => !r || r.receipt_gen !== attempt[i]!.generation)) return undefined;
  const visibleAt = now + visibilityTimeoutSeconds * 1000;
  const groups = new Set<string>();
  const picked = rows.map((r) => {
    sql.run("UPDATE messages SET visible_at = ? WHERE seq = ?", visibleAt, r!.seq);
    if (r!.group_id !== null) groups.add(r!.group_id);
    return toPicked({ ...r!, visible_at: visibleAt });
  });
  for (const group of groups) refreshGroup(sql, group);
  return picked;
}

export function recordAttempt(sql: Sql, attemptId: string, picked: PickedMessage[], now: number): void {
  const handles: Attempt[] = picked.map((p) => ({ seq: p.seq, generation: p.generation }));
  sql.run(
    `INSERT INTO receive_attempts (attempt_id, handles, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (attempt_id) DO UPDATE SET handles = excluded.handles, expires_at = excluded.expires_at`,
    attemptId,
    JSON.stringify(handles),
    now + DEDUPLICATION_WINDOW_MS,
  );
}
