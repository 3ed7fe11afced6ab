/**
 * Message move tasks (StartMessageMoveTask and friends): a dead-letter
 * queue redrives the messages it held when the task started, at most `rate` per second, on its
 * alarm. Each step claims messages in a transaction, copies them (idempotently) and deletes
 * them only after the copy succeeded, so a restart mid-step loses and duplicates nothing.
 */
import { SqsErrors, type ListMessageMoveTasksResultEntry } from "../../sdk/protocol/index.js";
import { MOVE_LEASE_MS, type MessageStores } from "./message-state.js";
import type { MessageRow } from "./message-types.js";
import type { Sql } from "../sql.js";

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

export const alreadyRunning = () =>
  SqsErrors.invalidParameterValue(
    "There is already a task running. Only one active task is allowed for a source queue arn at a given time.",
  );

export function activeTask(sql: Sql): MoveTask | undefined {
  return sql.one<MoveTask>("SELECT * FROM move_tasks WHERE status IN ('RUNNING', 'CANCELLING') LIMIT 1");
}

export function startTask(
  stores: MessageStores,
  now: number,
  destinationArn: string | undefined,
  rate: number | undefined,
  id?: string,
): string {
  const { sql, segments } = stores;
  if (activeTask(sql)) throw alreadyRunning();
  // Only the messages present at the start are moved: later arrivals have a larger seq.
  const taskId = id ?? crypto.randomUUID();
  sql.run(
    `INSERT INTO move_tasks (task_id, status, destination_arn, rate, to_move, cutoff_seq, started_at)
     VALUES (?, 'RUNNING', ?, ?, ?, ?, ?)`,
    taskId,
    destinationArn ?? null,
    rate ?? null,
    segments.size,
    segments.highestSeq,
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

/**
 * Claims the next messages of the task: visible ones from the start snapshot, hidden for a
 * lease, with a new handle generation so receipt handles given out earlier go stale.
 * A FIFO queue moves each group in order: a group with an earlier message in flight (or
 * still claimed by an interrupted step) waits, so nothing of it overtakes that message.
 */
export function claimStep(stores: MessageStores, task: MoveTask, now: number, fifo: boolean): MessageRow[] {
  const { sql, segments } = stores;
  const limit = stepLimit(task, now);
  const rows = fifo ? claimableInGroupOrder(stores, task.cutoff_seq, now, limit) : segments.visibleUpTo(task.cutoff_seq, now, limit);
  const leaseEnd = now + MOVE_LEASE_MS;
  const claimed = rows.map((row) => ({ ...row, visible_at: leaseEnd, receipt_gen: row.receipt_gen + 1 }));
  // last_receive_at NULL marks the claim: earlier handles may not change visibility (visibility.ts).
  for (const row of claimed) segments.setStored(row.seq, { ...row, last_receive_at: null });
  sql.run(
    "INSERT OR REPLACE INTO move_step (task_id, claimed) VALUES (?, ?)",
    task.task_id,
    JSON.stringify(claimed.map((row) => [row.seq, row.receipt_gen])),
  );
  return claimed;
}

/**
 * A step's record: its claims as [seq, receipt_gen] pairs and, once noted before the copies
 * leave, the partition count of each destination they are spread by. Steps stored before the
 * counts were kept are the bare array of claims.
 */
interface StepRecord {
  claims: [number, number][];
  routes?: Record<string, number>;
}

function readStep(sql: Sql, task: MoveTask): StepRecord | undefined {
  const step = sql.one<{ claimed: string }>("SELECT claimed FROM move_step WHERE task_id = ?", task.task_id);
  if (!step) return undefined;
  const stored = JSON.parse(step.claimed) as [number, number][] | StepRecord;
  return Array.isArray(stored) ? { claims: stored } : stored;
}

/** Notes the destinations' partition counts with the step's claims (before any copy leaves). */
export function pinStepRoutes(sql: Sql, task: MoveTask, routes: Map<string, number>): void {
  const step = readStep(sql, task);
  if (!step) return;
  const record: StepRecord = { claims: step.claims, routes: Object.fromEntries(routes) };
  sql.run("UPDATE move_step SET claimed = ? WHERE task_id = ?", JSON.stringify(record), task.task_id);
}

/**
 * How many messages a step may claim: the task's rate, once a second. A partition's share of a
 * partitioned queue's task may be a fraction (a rate of 10 over 4 partitions is 2.5 each): then a
 * step claims what keeps the moves since the start within the share per second.
 */
function stepLimit(task: MoveTask, now: number): number {
  const rate = task.rate ?? DEFAULT_MOVE_RATE;
  if (Number.isInteger(rate)) return rate;
  const steps = Math.floor((now - task.started_at) / MOVE_STEP_MS) + 1;
  return Math.max(0, Math.min(Math.ceil(rate), Math.floor(rate * steps) - task.moved));
}

/**
 * The messages of a step that was interrupted (by a restart) after it claimed them: those still
 * here and still claimed by it, and the destinations' partition counts noted for their copies (a
 * destination not noted had 1). Their copy may already have reached the destination, so they
 * must be moved (the copy is idempotent), never handed back to the queue.
 */
export function interruptedStep(stores: MessageStores, task: MoveTask): { rows: MessageRow[]; routes: Map<string, number> } {
  const { sql, segments } = stores;
  const step = readStep(sql, task);
  const rows: MessageRow[] = [];
  for (const [seq, generation] of step?.claims ?? []) {
    const row = segments.row(seq);
    if (row && row.receipt_gen === generation) rows.push(row);
  }
  return { rows, routes: new Map(Object.entries(step?.routes ?? {})) };
}

/** The step's claims are settled: moved, or handed back by a failure. */
export function endStep(sql: Sql, task: MoveTask): void {
  sql.run("DELETE FROM move_step WHERE task_id = ?", task.task_id);
}

/** Messages of the snapshot in seq order, skipping every group from its first invisible message on. */
function claimableInGroupOrder(stores: MessageStores, cutoffSeq: number, now: number, limit: number): MessageRow[] {
  const blocked = new Set<string | null>();
  const out: MessageRow[] = [];
  for (const row of stores.segments.rowsUpTo(cutoffSeq)) {
    if (blocked.has(row.group_id)) continue;
    if (row.visible_at > now) blocked.add(row.group_id);
    else if (out.push(row) >= limit) break;
  }
  return out;
}

/** Deletes the copied messages that are still claimed by this step and counts them as moved. */
export function completeStep(stores: MessageStores, task: MoveTask, copied: MessageRow[]): void {
  const { sql, segments } = stores;
  let moved = 0;
  for (const row of copied) {
    // Still claimed by this step: nobody deleted it meanwhile.
    if (segments.row(row.seq)?.receipt_gen === row.receipt_gen && segments.remove(row.seq)) moved += 1;
  }
  sql.run("UPDATE move_tasks SET moved = moved + ? WHERE task_id = ?", moved, task.task_id);
}

/** Makes claimed messages visible again (their copy was refused or they cannot move). */
export function releaseClaims(stores: MessageStores, rows: MessageRow[], now: number): void {
  const { segments } = stores;
  for (const row of rows) {
    const current = segments.row(row.seq);
    if (current?.receipt_gen === row.receipt_gen) segments.setStored(row.seq, { ...current, visible_at: now });
  }
}

/** Whether any message of the start snapshot is still here (visible, in flight or claimed). */
export function hasRemaining(stores: MessageStores, task: MoveTask): boolean {
  return stores.segments.hasUpTo(task.cutoff_seq);
}

export function setStatus(sql: Sql, task: MoveTask, status: MoveTask["status"], failureReason?: string): void {
  if (status !== "RUNNING" && status !== "CANCELLING") endStep(sql, task);
  sql.run(
    "UPDATE move_tasks SET status = ?, failure_reason = ? WHERE task_id = ?",
    status,
    failureReason ?? null,
    task.task_id,
  );
}
