import { registryStub } from "../../queue-url.js";
import { parseTopicArn, subscriptionArn, topicArn } from "../arns.js";
import { checkEndpoint, readProtocol } from "../endpoints.js";
import { SnsErrors } from "../errors.js";
import type { SnsHandler } from "../handler.js";
import { unwrap, usableTopic } from "../topic-stub.js";

/** A subscription's ARN until it is confirmed, as ListSubscriptions and Subscribe show it. */
export const PENDING = "pending confirmation";

/**
 * Subscribe: idempotent per protocol and endpoint. A queue of the caller's account and the
 * protocols SNS confirms by itself are confirmed at once; the others answer "pending
 * confirmation" (or their ARN, with ReturnSubscriptionArn) until ConfirmSubscription.
 */
export const subscribe: SnsHandler = async (params, ctx) => {
  const ref = parseTopicArn(params.required("TopicArn"));
  const protocol = readProtocol(params.string("Protocol"));
  const fifo = ref.name.endsWith(".fifo");
  const { endpoint, confirmed } = checkEndpoint(protocol, params.string("Endpoint"), ctx.accountId, fifo);
  const attributes = params.entryMap("Attributes");
  if (protocol === "firehose" && !attributes.SubscriptionRoleArn) throw SnsErrors.invalidParameter("SubscriptionRoleArn");
  const returnArn = params.boolean("ReturnSubscriptionArn") ?? false;
  const topic = await usableTopic(ctx, ref, "Subscribe");
  const made = unwrap(await topic.subscribe({ protocol, endpoint, attributes, owner: ctx.accountId, confirmed, origin: ctx.origin }));
  const arn = subscriptionArn(ref, made.id);
  await registryStub(ctx, ref.accountId).putSubscription(ref.name, {
    arn,
    topicArn: topicArn(ref),
    protocol,
    endpoint,
    owner: ctx.accountId,
    confirmed: made.confirmed,
  });
  return { SubscriptionArn: made.confirmed || returnArn ? arn : PENDING };
};
