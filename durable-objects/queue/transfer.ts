/**
 * Moving messages between queue objects: dead letters to the dead-letter queue on receive, and
 * message move tasks back out of it. Both claim in a transaction, copy with an idempotent RPC,
 * and delete only what is still claimed after the copy succeeded: nothing is lost, and a copy
 * retried after an interruption (the claim's lease runs out) duplicates nothing.
 */
import { ERRORS } from "../../sdk/protocol/index.js";
import type { Env } from "../../worker/env.js";
import type { Clock } from "./clock.js";
import { toDeadLetter } from "./dead-letter.js";
import { refreshGroup } from "./fifo-groups.js";
import { activeTask, claimStep, completeStep, hasRemaining, releaseClaims, setStatus } from "./move-task.js";
import { markReceived, type MessageRow, type PickedMessage } from "./receive.js";
import { parseRedrivePolicy, type RedrivePolicy } from "./redrive-policy.js";
import type { Sql } from "./sql.js";
import { queueArn, type QueueConfig } from "./types.js";

export interface TransferContext {
  sql: Sql;
  transaction<T>(fn: () => T): T;
  clock: Clock;
  env: Env;
}

export function redrivePolicyOf(config: QueueConfig): RedrivePolicy | undefined {
  const raw = config.attributes.RedrivePolicy;
  return raw ? parseRedrivePolicy(raw) : undefined;
}

function queueByArn(env: Env, arn: string) {
  const [, , , , accountId, name] = arn.split(":");
  return env.QUEUE.get(env.QUEUE.idFromName(`${accountId}/${name}`));
}

/**
 * Copies claimed dead letters to the dead-letter queue, then deletes them here. A DLQ that is
 * gone or refuses them does not stop this queue: the messages are delivered as usual.
 * Returns the ones delivered.
 */
export async function moveDeadLetters(
  t: TransferContext,
  config: QueueConfig,
  dead: MessageRow[],
  visibilityTimeoutSeconds: number,
): Promise<PickedMessage[]> {
  const policy = redrivePolicyOf(config);
  let accepted = false;
  if (policy) {
    try {
      const letters = dead.map((row) => toDeadLetter(row, queueArn(config)));
      const outcome = await queueByArn(t.env, policy.deadLetterTargetArn).acceptLetters(letters, {
        fifo: config.fifo,
        sourceArn: queueArn(config),
        fresh: false,
      });
      accepted = outcome.ok;
    } catch (error) {
      console.error("dead-letter move interrupted; it is retried when the claim expires", error);
      return [];
    }
  }
  const now = t.clock.now();
  return t.transaction(() => {
    const delivered: PickedMessage[] = [];
    for (const claimed of dead) {
      // Still ours only if nobody deleted it or changed its visibility meanwhile.
      const row = t.sql.one<MessageRow>(
        "SELECT * FROM messages WHERE seq = ? AND visible_at = ?",
        claimed.seq,
        claimed.visible_at,
      );
      if (!row) continue;
      if (accepted) t.sql.run("DELETE FROM messages WHERE seq = ?", row.seq);
      else delivered.push(markReceived(t.sql, row, now, now + visibilityTimeoutSeconds * 1000));
      if (config.fifo && row.group_id !== null) refreshGroup(t.sql, row.group_id);
    }
    return delivered;
  });
}

/**
 * One step of the running move task: claim, copy to each destination, then delete.
 * `faultAfterCopy` is a test hook that simulates a restart between the copy and the delete.
 */
export async function stepMoveTask(
  t: TransferContext,
  config: QueueConfig,
  faultAfterCopy?: () => void,
): Promise<void> {
  const task = activeTask(t.sql);
  if (!task) return;
  if (task.status === "CANCELLING") return setStatus(t.sql, task, "CANCELLED");
  const now = t.clock.now();
  const claimed = t.transaction(() => claimStep(t.sql, task, now));
  if (claimed.length === 0) {
    if (!hasRemaining(t.sql, task)) setStatus(t.sql, task, "COMPLETED");
    return;
  }
  // Without a destination each message goes back to the queue it was dead-lettered from.
  const byDestination = new Map<string, MessageRow[]>();
  for (const row of claimed) {
    const destination = task.destination_arn ?? row.dead_letter_source_arn;
    if (destination) byDestination.set(destination, [...(byDestination.get(destination) ?? []), row]);
  }
  for (const [destination, rows] of byDestination) {
    const letters = rows.map((row) => toDeadLetter(row, queueArn(config)));
    const outcome = await queueByArn(t.env, destination).acceptLetters(letters, { fifo: config.fifo, fresh: true });
    if (!outcome.ok) {
      t.transaction(() => {
        releaseClaims(t.sql, claimed, t.clock.now());
        setStatus(t.sql, task, "FAILED", ERRORS[outcome.error.code].queryCode);
      });
      return;
    }
    faultAfterCopy?.();
    t.transaction(() => completeStep(t.sql, task, rows));
  }
  // Messages with no known source stay in the dead-letter queue, visible again.
  const orphans = claimed.filter((row) => !(task.destination_arn ?? row.dead_letter_source_arn));
  if (orphans.length > 0) releaseClaims(t.sql, orphans, t.clock.now());
}
