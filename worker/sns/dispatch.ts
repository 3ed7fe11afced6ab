/** SNS action name -> handler. */
import { SqsError } from "../../sdk/protocol/index.js";
import type { RequestContext } from "../context.js";
import { confirmSubscription } from "./actions/confirm-subscription.js";
import { createTopic } from "./actions/create-topic.js";
import { getDataProtectionPolicy, putDataProtectionPolicy } from "./actions/data-protection.js";
import { deleteTopic } from "./actions/delete-topic.js";
import { listSubscriptions, listSubscriptionsByTopic } from "./actions/list-subscriptions.js";
import { listTopics } from "./actions/list-topics.js";
import { addPermission, removePermission } from "./actions/permissions.js";
import { publish } from "./actions/publish.js";
import { publishBatch } from "./actions/publish-batch.js";
import { subscribe } from "./actions/subscribe.js";
import { getSubscriptionAttributes, setSubscriptionAttributes } from "./actions/subscription-attributes.js";
import { listTagsForResource, tagResource, untagResource } from "./actions/tags.js";
import { getTopicAttributes, setTopicAttributes } from "./actions/topic-attributes.js";
import { unsubscribe } from "./actions/unsubscribe.js";
import type { SnsHandler, SnsResult } from "./handler.js";
import type { SnsParams } from "./params.js";

const HANDLERS: Record<string, SnsHandler> = {
  CreateTopic: createTopic,
  DeleteTopic: deleteTopic,
  ListTopics: listTopics,
  GetTopicAttributes: getTopicAttributes,
  SetTopicAttributes: setTopicAttributes,
  Subscribe: subscribe,
  ConfirmSubscription: confirmSubscription,
  Unsubscribe: unsubscribe,
  ListSubscriptions: listSubscriptions,
  ListSubscriptionsByTopic: listSubscriptionsByTopic,
  GetSubscriptionAttributes: getSubscriptionAttributes,
  SetSubscriptionAttributes: setSubscriptionAttributes,
  Publish: publish,
  PublishBatch: publishBatch,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
  AddPermission: addPermission,
  RemovePermission: removePermission,
  GetDataProtectionPolicy: getDataProtectionPolicy,
  PutDataProtectionPolicy: putDataProtectionPolicy,
};

export function isSnsAction(action: string): boolean {
  return Object.hasOwn(HANDLERS, action);
}

export function dispatchSns(action: string, params: SnsParams, ctx: RequestContext): Promise<SnsResult> {
  if (!isSnsAction(action)) throw new SqsError("InvalidAction", `The action ${action} is not valid for this endpoint.`);
  return HANDLERS[action]!(params, ctx);
}
