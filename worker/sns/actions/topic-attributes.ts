import { parseTopicArn } from "../arns.js";
import type { SnsHandler } from "../handler.js";
import { EntryMap } from "../xml.js";
import { unwrap, usableTopic } from "../topic-stub.js";

export const getTopicAttributes: SnsHandler = async (params, ctx) => {
  const ref = parseTopicArn(params.required("TopicArn"));
  const attributes = unwrap(await (await usableTopic(ctx, ref, "GetTopicAttributes")).getAttributes());
  return { Attributes: new EntryMap(attributes) };
};

/** SetTopicAttributes: one attribute; an absent AttributeValue clears it. */
export const setTopicAttributes: SnsHandler = async (params, ctx) => {
  const ref = parseTopicArn(params.required("TopicArn"));
  const name = params.required("AttributeName");
  const value = params.string("AttributeValue") ?? "";
  unwrap(await (await usableTopic(ctx, ref, "SetTopicAttributes")).setAttribute(name, value));
  return undefined;
};
