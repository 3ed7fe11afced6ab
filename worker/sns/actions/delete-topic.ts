import { registryStub } from "../../queue-url.js";
import { parseTopicArn } from "../arns.js";
import type { SnsHandler } from "../handler.js";
import { unwrap, usableTopic } from "../topic-stub.js";

/** DeleteTopic: the topic and its subscriptions; deleting one that does not exist succeeds, as on AWS. */
export const deleteTopic: SnsHandler = async (params, ctx) => {
  const ref = parseTopicArn(params.required("TopicArn"));
  const deleted = await (await usableTopic(ctx, ref, "DeleteTopic")).deleteTopic();
  if (!deleted.ok && deleted.error.code !== "NotFound") unwrap(deleted);
  await registryStub(ctx, ref.accountId).unregisterTopic(ref.name);
  return undefined;
};
