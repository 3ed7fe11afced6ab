/**
 * Message move tasks (StartMessageMoveTask and friends, sqs-spec.md 2.3 and 6): a dead-letter
 * queue redrives the messages it held when the task started, at most `rate` per second, on its
 * alarm. Each step claims messages in a transaction, copies them (idempotently) and deletes
 * them only after the copy succeeded, so a restart mid-step loses and duplicates nothing.
 */
import { SqsErrors, type ListMessageMoveTasksResultEntry } from "../../sdk/protocol/index.js";
import { MOVE_LEASE_MS, type MessageRow } from "./receive.js";
import type { Sql } from "./sql.js";

/** Messages moved per second when the task names no MaxNumberOfMessagesPerSecond. */
export const DEFAULT_MOVE_RATE = 500;
/** A step runs once a second. */
export const MOVE_STEP_MS = 1_000;
/** Tasks listed: the most recent ten. */
const MAX_LISTED_TASKS = 10;

export interface MoveTask extends Record<string, string | number | null> {
  task_id: string;
  status: ListMessageMoveTasksResultEntry["Status"];
  destination_arn: string | null;
  rate: number | null;
  moved: number;
  to_move: number;
  cutoff_seq: number;
  started_at: number;
  failure_reason: string | null;
}

export function activeTask(sql: Sql): MoveTask | undefined {
  return sql.one<MoveTask>("SELECT * FROM move_tasks WHERE status IN ('RUNNING', 'CANCELLING') LIMIT 1");
}

export function startTask(sql: Sql, now: number, destinationArn: string | undefined, rate: number | undefined): string {
  if (activeTask(sql)) {
    throw SqsErrors.invalidParameterValue(
      "There is already a task running. Only one active task is allowed for a source queue arn at a given time.",
    );
  }
  // Only the messages present at the start are moved: later arrivals have a larger seq.
  const snapshot = sql.one<{ n: number; s: number | null }>("SELECT COUNT(*) AS n, MAX(seq) AS s FROM messages");
  const taskId = crypto.randomUUID();
  sql.run(
    `INSERT INTO move_tasks (task_id, status, destination_arn, rate, to_move, cutoff_seq, started_at)
     VALUES (?, 'RUNNING', ?, ?, ?, ?, ?)`,
    taskId,
    destinationArn ?? null,
    rate ?? null,
    Number(snapshot?.n ?? 0),
    Number(snapshot?.s ?? 0),
    now,
  );
  // Keep the history bounded: AWS lists tasks of the last 14 days; we keep the latest few.
  sql.run(
    `DELETE FROM move_tasks WHERE status NOT IN ('RUNNING', 'CANCELLING') AND task_id NOT IN
       (SELECT task_id FROM move_tasks ORDER BY started_at DESC LIMIT ?)`,
    MAX_LISTED_TASKS,
  );
  return taskId;
}

export function cancelTask(sql: Sql, taskId: string): number {
  const task = sql.one<MoveTask>("SELECT * FROM move_tasks WHERE task_id = ?", taskId);
  if (!task) throw SqsErrors.resourceNotFound("Task does not exist.");
  if (task.status !== "RUNNING") {
    throw SqsErrors.invalidParameterValue(`Only a RUNNING task can be cancelled; this one is ${task.status}.`);
  }
  sql.run("UPDATE move_tasks SET status = 'CANCELLING' WHERE task_id = ?", taskId);
  return task.moved;
}

export function listTasks(sql: Sql, max: number): MoveTask[] {
  return sql.all<MoveTask>("SELECT * FROM move_tasks ORDER BY started_at DESC, rowid DESC LIMIT ?", max);
}

/** Claims the next messages of the task: visible ones from the start snapshot, hidden for a lease. */
export function claimStep(sql: Sql, task: MoveTask, now: number): MessageRow[] {
  const rows = sql.all<MessageRow>(
    "SELECT * FROM messages WHERE seq <= ? AND visible_at <= ? ORDER BY seq LIMIT ?",
    task.cutoff_seq,
    now,
    task.rate ?? DEFAULT_MOVE_RATE,
  );
  for (const row of rows) sql.run("UPDATE messages SET visible_at = ? WHERE seq = ?", now + MOVE_LEASE_MS, row.seq);
  return rows.map((row) => ({ ...row, visible_at: now + MOVE_LEASE_MS }));
}

/** Deletes the copied messages that are still claimed by this step and counts them as moved. */
export function completeStep(sql: Sql, task: MoveTask, copied: MessageRow[]): void {
  let moved = 0;
  for (const row of copied) {
    // Still claimed by this step: nobody deleted it meanwhile.
    if (!sql.one("SELECT 1 AS x FROM messages WHERE seq = ? AND visible_at = ?", row.seq, row.visible_at)) continue;
    sql.run("DELETE FROM messages WHERE seq = ?", row.seq);
    moved += 1;
  }
  sql.run("UPDATE move_tasks SET moved = moved + ? WHERE task_id = ?", moved, task.task_id);
}

/** Makes claimed messages visible again (the copy was refused). */
export function releaseClaims(sql: Sql, rows: MessageRow[], now: number): void {
  for (const row of rows) sql.run("UPDATE messages SET visible_at = ? WHERE seq = ? AND visible_at = ?", now, row.seq, row.visible_at);
}

/** Whether any message of the start snapshot is still here (visible, in flight or claimed). */
export function hasRemaining(sql: Sql, task: MoveTask): boolean {
  return sql.one("SELECT 1 AS x FROM messages WHERE seq <= ? LIMIT 1", task.cutoff_seq) !== undefined;
}

export function setStatus(sql: Sql, task: MoveTask, status: MoveTask["status"], failureReason?: string): void {
  sql.run(
    "UPDATE move_tasks SET status = ?, failure_reason = ? WHERE task_id = ?",
    status,
    failureReason ?? null,
    task.task_id,
  );
}
