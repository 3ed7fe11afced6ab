import { registryStub } from "../../queue-url.js";
import { parseTopicArn, subscriptionArn, topicArn } from "../arns.js";
import type { SnsHandler } from "../handler.js";
import { topicStub, unwrap } from "../topic-stub.js";

/**
 * ConfirmSubscription: the token the SubscriptionConfirmation carried proves the endpoint got
 * it, so anyone holding it may confirm (as on AWS, the topic's owner need not be the caller).
 */
export const confirmSubscription: SnsHandler = async (params, ctx) => {
  const ref = parseTopicArn(params.required("TopicArn"));
  const token = params.required("Token");
  params.boolean("AuthenticateOnUnsubscribe");
  const confirmed = unwrap(await topicStub(ctx, ref).confirmSubscription(token));
  const arn = subscriptionArn(ref, confirmed.id);
  await registryStub(ctx, ref.accountId).putSubscription(ref.name, { ...confirmed, arn, topicArn: topicArn(ref) });
  return { SubscriptionArn: arn };
};
