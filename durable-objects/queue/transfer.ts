/**
 * Moving messages between queue objects: dead letters to the dead-letter queue on receive, and
 * message move tasks back out of it. Both claim in a transaction, copy with an idempotent RPC,
 * and delete only what is still claimed after the copy succeeded: nothing is lost, and a copy
 * retried after an interruption (the claim's lease runs out) duplicates nothing.
 */
import { ERRORS } from "../../sdk/protocol/index.js";
import type { TransferContext } from "./context.js";
import { toDeadLetter } from "./dead-letter.js";
import { copyLetters } from "./letter-copy.js";
import { pinnedCounts, pinPendingMoves, settlePendingMove, takeLapsedMoves } from "./pending-moves.js";
import {
  activeTask,
  claimStep,
  completeStep,
  endStep,
  hasRemaining,
  interruptedStep,
  pinStepRoutes,
  releaseClaims,
  setStatus,
  type MoveTask,
} from "./move-task.js";
import { claimForMove, markReceived, setVisibleAt, type MessageStores } from "./message-state.js";
import type { MessageRow, PickedMessage } from "./message-types.js";
import { redrivePolicyOf } from "./redrive-policy.js";
import { queueArn, type QueueConfig } from "./types.js";

/** Why a move task without a destination stops at a message that was not dead-lettered (AWS's reason). */
export const UNKNOWN_SOURCE = "CouldNotDetermineMessageSource";

/**
 * Copies claimed dead letters to the dead-letter queue, then deletes them here. A DLQ that is
 * gone or refuses them does not stop this queue: a receive (given its visibility timeout) gets
 * them delivered as usual, the alarm makes them visible again. Returns the ones delivered.
 * `pinned` gives, for a retried move, the partition count its first copy was spread by.
 */
export async function moveDeadLetters(
  t: TransferContext,
  config: QueueConfig,
  dead: MessageRow[],
  visibilityTimeoutSeconds?: number,
  pinned?: Map<number, number>,
): Promise<PickedMessage[]> {
  const policy = redrivePolicyOf(config);
  // Armed before the copy, so even a restart right after it leaves a retry scheduled.
  t.wake(Math.min(...dead.map((row) => row.visible_at)));
  let accepted = dead.map(() => false);
  if (policy) {
    try {
      const target = policy.deadLetterTargetArn;
      const counts = await deadLetterCounts(t, target, dead, pinned);
      const letters = dead.map((row, i) => ({ letter: toDeadLetter(row, queueArn(config), t.partition), partitions: counts[i]! }));
      ({ accepted } = await copyLetters(t.queues, target, letters, { fifo: config.fifo, sourceArn: queueArn(config), fresh: false }));
    } catch (error) {
      console.error("dead-letter move interrupted; the alarm retries it when the claim expires", error);
      return [];
    }
  }
  const now = t.clock.now();
  return t.transaction(() => {
    const delivered: PickedMessage[] = [];
    dead.forEach((claimed, i) => {
      settlePendingMove(t.sql, claimed.seq, claimed.visible_at);
      // Still ours only if nobody deleted it meanwhile (the claim made older handles stale).
      const row = t.stores.segments.row(claimed.seq);
      if (!row || row.receipt_gen !== claimed.receipt_gen) return;
      if (accepted[i]) t.stores.segments.remove(row.seq);
      else if (visibilityTimeoutSeconds !== undefined) {
        delivered.push(markReceived(t.stores, row, now, now + visibilityTimeoutSeconds * 1000));
      } else setVisibleAt(t.stores, row, now);
    });
    return delivered;
  });
}

/**
 * The dead-letter queue's partition count each claimed letter is spread by, noted in its
 * pending-move record before the copy leaves. A first move takes the queue's count now. A message
 * claimed before (its claim cleared last_receive_at: a retry, whose copy may have arrived) keeps
 * the count of its first copy, or 1 when none was noted, so the retry reaches the partition that
 * recognises it even if the dead-letter queue gained partitions meanwhile.
 */
async function deadLetterCounts(t: TransferContext, target: string, dead: MessageRow[], pinned?: Map<number, number>): Promise<number[]> {
  const retried = dead.filter((row) => row.last_receive_at === null && !pinned?.has(row.seq)).map((row) => row.seq);
  const noted = retried.length > 0 ? pinnedCounts(t.sql, retried) : new Map<number, number>();
  const firstMove = dead.some((row) => row.last_receive_at !== null && !pinned?.has(row.seq));
  const current = firstMove ? await t.queues.partitions(target) : 1;
  const counts = dead.map((row) => pinned?.get(row.seq) ?? (row.last_receive_at === null ? (noted.get(row.seq) ?? 1) : current));
  if (counts.some((n) => n > 1)) {
    t.transaction(() =>
      pinPendingMoves(t.sql, dead.map((row, i) => ({ seq: row.seq, leaseEnd: row.visible_at, partitions: counts[i]! }))),
    );
  }
  return counts;
}

/**
 * The alarm's part in dead-letter moves: a move whose lease ran out was interrupted (the copy
 * may or may not have arrived). It is claimed again and retried now, while the dead-letter
 * queue still recognises a copy that did arrive, instead of waiting for the next receive.
 */
export async function retryDeadLetterMoves(t: TransferContext, config: QueueConfig): Promise<void> {
  const policy = redrivePolicyOf(config);
  if (!policy) return;
  const now = t.clock.now();
  const expiredBefore = now - Number(config.attributes.MessageRetentionPeriod) * 1000;
  const pinned = new Map<number, number>();
  const claimed = t.transaction(() => {
    const out: MessageRow[] = [];
    for (const { seq, partitions } of takeLapsedMoves(t.sql, now)) {
      const row = t.stores.segments.row(seq);
      // Gone, received again, past retention or no longer a dead letter: nothing to retry.
      if (!row || row.visible_at > now || row.enqueued_at <= expiredBefore) continue;
      if (row.receive_count < policy.maxReceiveCount) continue;
      out.push(claimForMove(t.stores, row, now));
      pinned.set(seq, partitions);
    }
    return out;
  });
  if (claimed.length > 0) await moveDeadLetters(t, config, claimed, undefined, pinned);
}

/**
 * One step of the running move task: claim, copy to each destination, then delete. A step
 * that a restart interrupted is finished first, also when the task was cancelled meanwhile:
 * its copies may have arrived, so handing its messages back would duplicate them.
 */
export async function stepMoveTask(t: TransferContext, config: QueueConfig): Promise<void> {
  const task = activeTask(t.sql);
  if (!task) return;
  const interrupted = interruptedStep(t.stores, task);
  if (interrupted.rows.length > 0 && !(await moveClaimed(t, config, task, interrupted.rows, interrupted.routes))) return;
  if (task.status === "CANCELLING") return setStatus(t.sql, task, "CANCELLED");
  const now = t.clock.now();
  const claimed = t.transaction(() => claimStep(t.stores, task, now, config.fifo));
  if (claimed.length === 0) {
    if (!hasRemaining(t.stores, task)) setStatus(t.sql, task, "COMPLETED");
    return;
  }
  const routes = await destinationCounts(t, task, claimed);
  if (await moveClaimed(t, config, task, claimed, routes)) completeIfDone(t, task);
}

/**
 * The partition count of each destination of a new step, noted with the step's claims before any
 * copy leaves: a step a restart interrupts is finished with the same counts (a destination
 * without a noted count had 1), so its copies reach the partitions that recognise them.
 */
async function destinationCounts(t: TransferContext, task: MoveTask, claimed: MessageRow[]): Promise<Map<string, number>> {
  const destinations = new Set(claimed.map((row) => task.destination_arn ?? row.dead_letter_source_arn).filter((arn) => arn !== null));
  const routes = new Map<string, number>();
  for (const arn of destinations) routes.set(arn, await t.queues.partitions(arn));
  if ([...routes.values()].some((n) => n > 1)) t.transaction(() => pinStepRoutes(t.sql, task, routes));
  return routes;
}

/**
 * A task whose last step moved the last of its messages is COMPLETED at once, not a step later:
 * AWS lists it COMPLETED (without a TaskHandle) as soon as ApproximateNumberOfMessagesMoved
 * reaches ApproximateNumberOfMessagesToMove. A cancel that arrived during the step wins.
 */
function completeIfDone(t: TransferContext, task: MoveTask): void {
  t.transaction(() => {
    const current = activeTask(t.sql);
    if (current?.task_id !== task.task_id || current.status !== "RUNNING") return;
    if (!hasRemaining(t.stores, current)) setStatus(t.sql, current, "COMPLETED");
  });
}

/** Copies a step's claimed messages and deletes them here; false when the task failed. */
async function moveClaimed(
  t: TransferContext,
  config: QueueConfig,
  task: MoveTask,
  claimed: MessageRow[],
  routes: Map<string, number>,
): Promise<boolean> {
  // Without a destination each message goes back to the queue it was dead-lettered from; one
  // that was not dead-lettered (sent straight to this queue) has nowhere to go, and AWS ends the
  // task there. Only the messages before it move, so no FIFO group overtakes it.
  const stuck = task.destination_arn === null ? claimed.findIndex((row) => row.dead_letter_source_arn === null) : -1;
  const movable = stuck < 0 ? claimed : claimed.slice(0, stuck);
  const byDestination = new Map<string, MessageRow[]>();
  for (const row of movable) {
    const destination = (task.destination_arn ?? row.dead_letter_source_arn)!;
    byDestination.set(destination, [...(byDestination.get(destination) ?? []), row]);
  }
  for (const [destination, rows] of byDestination) {
    const partitions = routes.get(destination) ?? 1;
    const letters = rows.map((row) => ({ letter: toDeadLetter(row, queueArn(config), t.partition), partitions }));
    const { accepted, refused } = await copyLetters(t.queues, destination, letters, { fifo: config.fifo, fresh: true });
    // A FIFO group is in one part, so a part refused holds back whole groups, never a group's tail.
    const copied = rows.filter((_, i) => accepted[i]);
    if (copied.length > 0) t.transaction(() => completeStep(t.stores, task, copied));
    if (refused) {
      fail(t, config, task, claimed, ERRORS[refused.code].queryCode);
      return false;
    }
  }
  if (stuck >= 0) {
    fail(t, config, task, claimed.slice(stuck), UNKNOWN_SOURCE);
    return false;
  }
  t.transaction(() => endStep(t.sql, task));
  return true;
}

/** Ends the task as FAILED; the claimed messages it did not move stay here, visible again. */
function fail(t: TransferContext, config: QueueConfig, task: MoveTask, unmoved: MessageRow[], reason: string): void {
  t.transaction(() => {
    releaseClaims(t.stores, unmoved, t.clock.now());
    setStatus(t.sql, task, "FAILED", reason);
  });
}
