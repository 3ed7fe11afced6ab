/**
 * The topic object behind a TopicArn, and who may use it: the owner's account freely, another
 * account as far as the topic's Policy allows the action (`SNS:<Action>`). A topic of another
 * account that does not exist is refused like one that does: no existence leaks.
 */
import type { RequestContext } from "../context.js";
import { unwrap } from "../actions/handler.js";
import { policyAllows } from "../auth/queue-policy.js";
import { retryingStub } from "../object-calls.js";
import { topicArn, type TopicRef } from "./arns.js";
import { SnsErrors } from "./errors.js";

/**
 * Calls a transient failure may run twice (worker/object-calls.ts): reads, and writes whose
 * second run changes nothing. Not here: publish (a repeat would publish twice), unsubscribe and
 * deleteTopic (a repeat fails where the first succeeded), and the permission edits.
 */
const REPEATABLE_TOPIC_CALLS = new Set([
  "create",
  "exists",
  "getAttributes",
  "setAttribute",
  "tag",
  "untag",
  "listTags",
  "getDataProtectionPolicy",
  "putDataProtectionPolicy",
  "subscribe",
  "confirmSubscription",
  "listSubscriptions",
  "getSubscriptionAttributes",
  "setSubscriptionAttribute",
]);

export function topicStub(ctx: Pick<RequestContext, "env">, ref: Pick<TopicRef, "accountId" | "name">) {
  const id = ctx.env.TOPIC.idFromName(`${ref.accountId}/${ref.name}`);
  return retryingStub(() => ctx.env.TOPIC.get(id), REPEATABLE_TOPIC_CALLS);
}

/** Refuses `action` on another account's topic unless the topic's Policy allows the caller. */
export async function authorizeTopic(ctx: RequestContext, ref: TopicRef, action: string): Promise<void> {
  if (ref.accountId === ctx.accountId) return;
  const attributes = await topicStub(ctx, ref).getAttributes();
  const arn = topicArn(ref);
  const allowed = attributes.ok && policyAllows(attributes.value.Policy, { account: ctx.accountId, action, resource: arn, actionPrefix: "sns" });
  if (!allowed) {
    throw SnsErrors.authorizationError(`User: arn:aws:iam::${ctx.accountId}:root is not authorized to perform: SNS:${action} on resource: ${arn}`);
  }
}

/** A topic the caller may use for `action`, as its stub. */
export async function usableTopic(ctx: RequestContext, ref: TopicRef, action: string) {
  await authorizeTopic(ctx, ref, action);
  return topicStub(ctx, ref);
}

export { unwrap };
