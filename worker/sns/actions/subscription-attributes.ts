import { parseSubscriptionArn } from "../arns.js";
import type { SnsHandler } from "../handler.js";
import { EntryMap } from "../xml.js";
import { unwrap, usableTopic } from "../topic-stub.js";

export const getSubscriptionAttributes: SnsHandler = async (params, ctx) => {
  const ref = parseSubscriptionArn(params.required("SubscriptionArn"));
  const topic = await usableTopic(ctx, ref, "GetSubscriptionAttributes");
  return { Attributes: new EntryMap(unwrap(await topic.getSubscriptionAttributes(ref.id))) };
};

/** SetSubscriptionAttributes: one attribute; an absent AttributeValue clears it. */
export const setSubscriptionAttributes: SnsHandler = async (params, ctx) => {
  const ref = parseSubscriptionArn(params.required("SubscriptionArn"));
  const name = params.required("AttributeName");
  const value = params.string("AttributeValue") ?? "";
  const topic = await usableTopic(ctx, ref, "SetSubscriptionAttributes");
  unwrap(await topic.setSubscriptionAttribute(ref.id, name, value));
  return undefined;
};
