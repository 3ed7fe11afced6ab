import { registryStub } from "../../queue-url.js";
import { parseTopicArn, subscriptionArn, topicArn } from "../arns.js";
import type { SnsHandler } from "../handler.js";
import { decodeNextToken, encodeNextToken, PAGE_SIZE } from "../paging.js";
import { unwrap, usableTopic } from "../topic-stub.js";

/** A pending subscription is listed with this in place of its ARN. */
const PENDING_ARN = "PendingConfirmation";

/** ListSubscriptions: every subscription of the account's topics, 100 a page. */
export const listSubscriptions: SnsHandler = async (params, ctx) => {
  const after = decodeNextToken(params.string("NextToken"));
  const page = await registryStub(ctx, ctx.accountId).listSubscriptions(PAGE_SIZE, after);
  return {
    Subscriptions: page.items.map((s) => ({
      SubscriptionArn: s.confirmed ? s.arn : PENDING_ARN,
      Owner: s.owner,
      Protocol: s.protocol,
      Endpoint: s.endpoint,
      TopicArn: s.topicArn,
    })),
    NextToken: encodeNextToken(page.after),
  };
};

/** ListSubscriptionsByTopic: from the topic object itself, 100 a page. */
export const listSubscriptionsByTopic: SnsHandler = async (params, ctx) => {
  const ref = parseTopicArn(params.required("TopicArn"));
  const after = decodeNextToken(params.string("NextToken"));
  const page = unwrap(await (await usableTopic(ctx, ref, "ListSubscriptionsByTopic")).listSubscriptions(PAGE_SIZE, after));
  return {
    Subscriptions: page.subscriptions.map((s) => ({
      SubscriptionArn: s.confirmed ? subscriptionArn(ref, s.id) : PENDING_ARN,
      Owner: s.owner,
      Protocol: s.protocol,
      Endpoint: s.endpoint,
      TopicArn: topicArn(ref),
    })),
    NextToken: encodeNextToken(page.after),
  };
};
