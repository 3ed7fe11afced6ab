import { registryStub } from "../../queue-url.js";
import { parseSubscriptionArn } from "../arns.js";
import type { SnsHandler } from "../handler.js";
import { unwrap, usableTopic } from "../topic-stub.js";

export const unsubscribe: SnsHandler = async (params, ctx) => {
  const arn = params.required("SubscriptionArn");
  const ref = parseSubscriptionArn(arn);
  const topic = await usableTopic(ctx, ref, "Unsubscribe");
  const removed = await topic.unsubscribe(ref.id);
  // Gone from the topic already (a retried request): the index is repaired all the same.
  await registryStub(ctx, ref.accountId).removeSubscription(arn);
  unwrap(removed);
  return undefined;
};
