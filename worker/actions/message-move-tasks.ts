/** StartMessageMoveTask, CancelMessageMoveTask, ListMessageMoveTasks. */
import type { MoveTask } from "../../durable-objects/queue/move-task.js";
import { SqsErrors, type ListMessageMoveTasksResultEntry } from "../../sdk/protocol/index.js";
import { accessDenied, mayUse } from "../auth/queue-access.js";
import type { RequestContext } from "../context.js";
import { cancelOnEveryPartition, listOnEveryPartition, startOnEveryPartition } from "../partition-move-tasks.js";
import { parseQueueArn, queueStub, registryStub } from "../queue-url.js";
import type { Handler } from "./handler.js";

const MAX_RATE = 500;

export const startMessageMoveTask: Handler<"StartMessageMoveTask"> = async (input, ctx) => {
  const source = await describeArn(ctx, input.SourceArn, "SourceArn", "StartMessageMoveTask");
  const rate = input.MaxNumberOfMessagesPerSecond;
  if (rate !== undefined && (rate < 1 || rate > MAX_RATE)) {
    throw SqsErrors.invalidParameter("MaxNumberOfMessagesPerSecond", rate, `Must be between 1 and ${MAX_RATE}.`);
  }
  if (input.DestinationArn !== undefined) {
    // The task sends to the destination: it must take the caller's SendMessage.
    const destination = await describeArn(ctx, input.DestinationArn, "DestinationArn", "SendMessage");
    // Checked up front, as SQS does, rather than failing the task at its first copy.
    if (destination.summary.fifo !== source.summary.fifo) {
      throw SqsErrors.invalidParameterValue("The source queue and the destination queue must be of the same queue type.");
    }
  }
  const sources = await registryStub(ctx, source.ref.accountId).listDeadLetterSources(input.SourceArn, 1);
  if (sources.names.length === 0) throw SqsErrors.invalidParameterValue("Source queue must be configured as a Dead Letter Queue.");
  const taskId = await startOnEveryPartition(ctx, source.ref, input.DestinationArn, rate);
  return { TaskHandle: encodeHandle(taskId, input.SourceArn) };
};

export const cancelMessageMoveTask: Handler<"CancelMessageMoveTask"> = async (input, ctx) => {
  const { taskId, sourceArn } = decodeHandle(input.TaskHandle);
  // A handle naming no queue is a task that does not exist, in any account (as AWS answers it).
  const source = await describeArn(ctx, sourceArn, "SourceArn", "CancelMessageMoveTask", { missingFirst: true });
  return { ApproximateNumberOfMessagesMoved: await cancelOnEveryPartition(ctx, source.ref, taskId) };
};

export const listMessageMoveTasks: Handler<"ListMessageMoveTasks"> = async (input, ctx) => {
  const max = input.MaxResults ?? 1;
  if (max < 1 || max > 10) throw SqsErrors.invalidParameter("MaxResults", max, "Must be between 1 and 10.");
  const source = await describeArn(ctx, input.SourceArn, "SourceArn", "ListMessageMoveTasks");
  const tasks = await listOnEveryPartition(ctx, source.ref, max);
  return tasks.length > 0 ? { Results: tasks.map((task) => toEntry(task, input.SourceArn)) } : {};
};

function toEntry(task: MoveTask, sourceArn: string): ListMessageMoveTasksResultEntry {
  const entry: ListMessageMoveTasksResultEntry = {
    Status: task.status,
    SourceArn: sourceArn,
    ApproximateNumberOfMessagesMoved: task.moved,
    ApproximateNumberOfMessagesToMove: task.to_move,
    StartedTimestamp: task.started_at,
  };
  // The handle is only listed while the task can still be cancelled.
  if (task.status === "RUNNING") entry.TaskHandle = encodeHandle(task.task_id, sourceArn);
  if (task.destination_arn !== null) entry.DestinationArn = task.destination_arn;
  if (task.rate !== null) entry.MaxNumberOfMessagesPerSecond = task.rate;
  if (task.failure_reason !== null) entry.FailureReason = task.failure_reason;
  return entry;
}

/**
 * The queue an ARN names, if it exists and the caller may do `action` on it. Another account's
 * queue is refused alike whether it exists or not, unless `missingFirst`: then a queue that does
 * not exist is ResourceNotFoundException before any access check.
 */
async function describeArn(
  ctx: RequestContext,
  arn: string,
  parameter: "SourceArn" | "DestinationArn",
  action: string,
  { missingFirst = false } = {},
) {
  if (!/^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+$/.test(arn)) {
    throw SqsErrors.invalidParameterValue(
      `You must use this format to specify the ${parameter}: arn:<partition>:<service>:<region>:<account-id>:<resource-id>`,
    );
  }
  const ref = parseQueueArn(arn);
  const described = ref && (await queueStub(ctx, ref).describe());
  const missing = () =>
    SqsErrors.resourceNotFound(`The resource that you specified for the ${parameter} parameter doesn't exist.`);
  if (missingFirst && !described?.ok) throw missing();
  // Another account's queue, existing or not, is refused alike unless its Policy grants the action.
  if (ref && ref.accountId !== ctx.accountId && !(described?.ok && mayUse(ctx, ref, described.value, action))) {
    throw accessDenied(ctx, ref);
  }
  if (!ref || !described?.ok) throw missing();
  return { ref, summary: described.value };
}

/** The handle names its source queue, so cancelling needs no lookup table (LocalStack's design). */
function encodeHandle(taskId: string, sourceArn: string): string {
  return btoa(JSON.stringify({ taskId, sourceArn }));
}

function decodeHandle(handle: string): { taskId: string; sourceArn: string } {
  try {
    const value = JSON.parse(atob(handle)) as { taskId?: unknown; sourceArn?: unknown };
    if (typeof value.taskId === "string" && typeof value.sourceArn === "string") {
      return { taskId: value.taskId, sourceArn: value.sourceArn };
    }
  } catch {
    // falls through to the error below
  }
  throw SqsErrors.invalidParameterValue("Value for parameter TaskHandle is invalid.");
}
