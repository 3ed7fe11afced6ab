/** Queue URLs and ARNs <-> (account, queue name), and the Durable Object behind a queue. */
import { isQueueName, QUEUE_NAME_SOURCE, queueArnParts, SqsErrors } from "../sdk/protocol/index.js";
import type { RequestContext } from "./context.js";
import { retryingStub } from "./object-calls.js";

export interface QueueRef {
  accountId: string;
  name: string;
}

/** The last two segments of a queue URL's path: account and queue name. */
const QUEUE_PATH = new RegExp(`/(\\d{12})/(${QUEUE_NAME_SOURCE})/?$`);

export function queueUrl(ctx: Pick<RequestContext, "origin">, ref: QueueRef): string {
  return `${ctx.origin}/${ref.accountId}/${ref.name}`;
}

/**
 * Resolves a queue by the last two path segments of its URL, ignoring scheme and host.
 * A bare queue name is a QueueUrl too: AWS resolves it in the caller's account.
 */
export function parseQueueUrl(url: string, ctx: Pick<RequestContext, "accountId">): QueueRef {
  if (isQueueName(url)) return { accountId: ctx.accountId, name: url };
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // not absolute: accept a bare path "/<account>/<name>"
  }
  const match = QUEUE_PATH.exec(path);
  if (!match) throw SqsErrors.queueDoesNotExist();
  return { accountId: match[1]!, name: match[2]! };
}

export function parseQueueArn(arn: string): (QueueRef & { region: string }) | undefined {
  return queueArnParts(arn);
}

/**
 * Queue object methods a transient failure may run twice (worker/object-calls.ts): reads, and
 * writes whose second run changes nothing (a delete of a deleted message succeeds, attributes
 * and visibility are set, not added to; a send carries its sendId, by which the object answers a
 * repeat with the first result). Not here: receive (a repeat would hide more messages), purge,
 * deleteQueue, permissions and move tasks (a repeat fails where the first succeeded).
 */
const REPEATABLE_QUEUE_CALLS = new Set([
  "create",
  "exists",
  "describe",
  "getAttributes",
  "setAttributes",
  "tag",
  "untag",
  "listTags",
  "send",
  "deleteMessages",
  "changeVisibility",
  "listMoveTasks",
  "peek",
  "minuteSamples",
  // Partition 0's count: a read, and a write that keeps the larger.
  "partitionCount",
  "setPartitionCount",
  // Opens a waiter socket (worker/wait-socket.ts), which assigns nothing.
  "fetch",
]);

/** The registry's calls all set or read its index of names (or of ended sessions): each can run twice. */
const REPEATABLE_REGISTRY_CALLS = new Set([
  "register",
  "unregister",
  "setDeadLetterTarget",
  "list",
  "listDeadLetterSources",
  "partitions",
  "setPartitions",
  "endConsoleSession",
  "consoleSessionEnded",
  "registerTopic",
  "unregisterTopic",
  "listTopics",
  "putSubscription",
  "removeSubscription",
  "listSubscriptions",
]);

/**
 * The queue's first (or only) object, which holds its tags and Policy and answers for the queue
 * as a whole (worker/partitions.ts routes the rest).
 */
export function queueStub(ctx: Pick<RequestContext, "env">, ref: QueueRef) {
  return partitionStub(ctx, ref, 0);
}

/**
 * Partition `k` of a queue: partition 0 is named as an unpartitioned queue always was, so every
 * queue made before partitions is its own partition 0 (durable-objects/partitions.md).
 */
export function partitionStub(ctx: Pick<RequestContext, "env">, ref: QueueRef, k: number) {
  const id = ctx.env.QUEUE.idFromName(partitionObjectName(ref, k));
  return retryingStub(() => ctx.env.QUEUE.get(id), REPEATABLE_QUEUE_CALLS);
}

export function partitionObjectName(ref: QueueRef, k: number): string {
  return k === 0 ? `${ref.accountId}/${ref.name}` : `${ref.accountId}/${ref.name}#${k}`;
}

export function registryStub(ctx: Pick<RequestContext, "env">, accountId: string) {
  const id = ctx.env.REGISTRY.idFromName(`registry/${accountId}`);
  return retryingStub(() => ctx.env.REGISTRY.get(id), REPEATABLE_REGISTRY_CALLS);
}
