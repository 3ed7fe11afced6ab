/**
 * Accounts isolate queues: a caller uses its own account's queues freely, another
 * account's only as far as that queue's Policy allows, and a few actions only ever as the owner.
 * The Policy is read (one RPC to the queue object) only for a queue of another account.
 */
import { SqsErrors, type ActionName, type SqsRequest } from "../../sdk/protocol/index.js";
import type { QueueSummary } from "../../durable-objects/queue/types.js";
import type { RequestContext } from "../context.js";
import { parseQueueUrl, queueStub, queueUrl, type QueueRef } from "../queue-url.js";
import { policyAllows } from "./queue-policy.js";

/** Only the owner may do it, whatever the queue's Policy says (AddPermission: "only you, the owner"). */
const OWNER_ONLY = "owner";

/**
 * The IAM action each API action needs on the queue its QueueUrl names. A batch needs its single
 * action's permission, as in AWS. `undefined`: the action names no queue by URL and checks its
 * queues itself (CreateQueue and ListQueues stay in the caller's account, GetQueueUrl and the
 * move tasks name queues by name or ARN).
 */
const PERMISSIONS: Record<ActionName, string | undefined> = {
  CreateQueue: undefined,
  GetQueueUrl: undefined,
  ListQueues: undefined,
  StartMessageMoveTask: undefined,
  CancelMessageMoveTask: undefined,
  ListMessageMoveTasks: undefined,
  SendMessage: "SendMessage",
  SendMessageBatch: "SendMessage",
  ReceiveMessage: "ReceiveMessage",
  DeleteMessage: "DeleteMessage",
  DeleteMessageBatch: "DeleteMessage",
  ChangeMessageVisibility: "ChangeMessageVisibility",
  ChangeMessageVisibilityBatch: "ChangeMessageVisibility",
  GetQueueAttributes: "GetQueueAttributes",
  ListDeadLetterSourceQueues: "ListDeadLetterSourceQueues",
  PurgeQueue: "PurgeQueue",
  DeleteQueue: OWNER_ONLY,
  SetQueueAttributes: OWNER_ONLY,
  AddPermission: OWNER_ONLY,
  RemovePermission: OWNER_ONLY,
  TagQueue: OWNER_ONLY,
  UntagQueue: OWNER_ONLY,
  ListQueueTags: OWNER_ONLY,
};

/** Refuses a request whose QueueUrl names another account's queue the caller may not use. */
export async function authorizeRequest(request: SqsRequest, ctx: RequestContext): Promise<void> {
  const action = PERMISSIONS[request.action];
  const url = (request.input as { QueueUrl?: unknown }).QueueUrl;
  if (action === undefined || typeof url !== "string") return;
  const ref = parseQueueUrl(url, ctx);
  if (ref.accountId === ctx.accountId) return;
  if (action === OWNER_ONLY) throw accessDenied(ctx, ref);
  const described = await queueStub(ctx, ref).describe();
  // A queue of another account that does not exist is refused like one that does: no existence leaks.
  if (!described.ok || !mayUse(ctx, ref, described.value, action)) throw accessDenied(ctx, ref);
}

/** Whether the caller may do `action` on a queue already described (no RPC). */
export function mayUse(ctx: RequestContext, ref: QueueRef, queue: QueueSummary, action: string): boolean {
  if (ref.accountId === ctx.accountId) return true;
  return policyAllows(queue.attributes.Policy, { account: ctx.accountId, action, resource: queue.arn });
}

export function accessDenied(ctx: RequestContext, ref: QueueRef) {
  return SqsErrors.accessDenied(queueUrl(ctx, ref));
}
