/**
 * Message move tasks on a partitioned dead-letter queue (durable-objects/partitions.md): one task
 * per partition, all with one task id, each moving its partition's messages at a share of the
 * rate; List and Cancel combine them into the one task SQS shows.
 */
import { alreadyRunning, type MoveTask } from "../durable-objects/queue/move-task.js";
import { SqsError } from "../sdk/protocol/index.js";
import { unwrap } from "./actions/handler.js";
import type { RequestContext } from "./context.js";
import { partitionCount } from "./partitions.js";
import { partitionStub, type QueueRef } from "./queue-url.js";

const others = (partitions: number) => Array.from({ length: partitions - 1 }, (_, i) => i + 1);

/**
 * Starts the task on partition 0, which validates it (one running task at a time), then on the
 * others with the same id. Each moves rate / N messages per second, so the queue moves the rate
 * asked for (a fractional share is paced over the seconds: move-task.ts).
 */
export async function startOnEveryPartition(
  ctx: RequestContext,
  ref: QueueRef,
  destinationArn: string | undefined,
  rate: number | undefined,
): Promise<string> {
  const partitions = await partitionCount(ctx, ref, true);
  if (partitions === 1) return unwrap(await partitionStub(ctx, ref, 0).startMoveTask(destinationArn, rate));
  // Partition 0 refuses a second task atomically; the others are asked first, so no part starts
  // beside a task still running in another partition.
  const parts = await Promise.all(others(partitions).map(async (k) => unwrap(await partitionStub(ctx, ref, k).listMoveTasks(1))));
  if (parts.flat().some((task) => task.status === "RUNNING" || task.status === "CANCELLING")) throw alreadyRunning();
  const share = rate === undefined ? undefined : rate / partitions;
  const taskId = unwrap(await partitionStub(ctx, ref, 0).startMoveTask(destinationArn, share, crypto.randomUUID()));
  await Promise.all(
    others(partitions).map(async (k) => unwrap(await partitionStub(ctx, ref, k).startMoveTask(destinationArn, share, taskId))),
  );
  return taskId;
}

/**
 * Cancels the task on every partition where it still runs, and answers the messages it moved in
 * all of them. Refused (with partition 0's answer) only when it runs nowhere.
 */
export async function cancelOnEveryPartition(ctx: RequestContext, ref: QueueRef, taskId: string): Promise<number> {
  const partitions = await partitionCount(ctx, ref, true);
  if (partitions === 1) return unwrap(await partitionStub(ctx, ref, 0).cancelMoveTask(taskId));
  const outcomes = await Promise.all(
    Array.from({ length: partitions }, (_, k) => partitionStub(ctx, ref, k).cancelMoveTask(taskId)),
  );
  const first = outcomes[0]!;
  if (!outcomes.some((o) => o.ok) && !first.ok) throw SqsError.fromData(first.error);
  // A partition whose part had already ended still counts what it moved.
  const moved = await Promise.all(
    outcomes.map(async (outcome, k) => {
      if (outcome.ok) return outcome.value;
      const listed = await partitionStub(ctx, ref, k).listMoveTasks(10);
      return listed.ok ? (listed.value.find((task) => task.task_id === taskId)?.moved ?? 0) : 0;
    }),
  );
  return moved.reduce((sum, n) => sum + n, 0);
}

/** The latest `max` tasks, each partition's parts of a task combined into one. */
export async function listOnEveryPartition(ctx: RequestContext, ref: QueueRef, max: number): Promise<MoveTask[]> {
  const partitions = await partitionCount(ctx, ref);
  const first = unwrap(await partitionStub(ctx, ref, 0).listMoveTasks(max));
  if (partitions === 1) return first;
  const rest = await Promise.all(others(partitions).map(async (k) => unwrap(await partitionStub(ctx, ref, k).listMoveTasks(max))));
  const parts = new Map<string, MoveTask[]>();
  for (const task of [first, ...rest].flat()) parts.set(task.task_id, [...(parts.get(task.task_id) ?? []), task]);
  return [...parts.values()]
    .map(combineParts)
    .sort((a, b) => b.started_at - a.started_at)
    .slice(0, max);
}

/** While any part runs the task runs; once all ended, a failure or a cancel is the task's. */
const STATUS_ORDER: MoveTask["status"][] = ["RUNNING", "CANCELLING", "FAILED", "CANCELLED", "COMPLETED"];

function combineParts(parts: MoveTask[]): MoveTask {
  // A part with nothing to move completes at its first step, a moment after the start: it does
  // not keep the task listed RUNNING once the other parts moved everything.
  const statuses = parts.map((part) => (part.status === "RUNNING" && part.to_move === 0 ? "COMPLETED" : part.status));
  const status = STATUS_ORDER.find((s) => statuses.includes(s)) ?? parts[0]!.status;
  const rates = parts.map((part) => part.rate);
  return {
    ...parts[0]!,
    status,
    moved: parts.reduce((sum, part) => sum + part.moved, 0),
    to_move: parts.reduce((sum, part) => sum + part.to_move, 0),
    started_at: Math.min(...parts.map((part) => part.started_at)),
    rate: rates.includes(null) ? null : Math.round(rates.reduce((sum, r) => sum! + r!, 0)!),
    failure_reason: status === "FAILED" ? (parts.find((part) => part.failure_reason !== null)?.failure_reason ?? null) : null,
  };
}
