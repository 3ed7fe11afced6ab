import type { Outcome, StringMap } from "../../../sdk/protocol/index.js";
import { parseAnyArn } from "../arns.js";
import { SnsErrors } from "../errors.js";
import type { SnsHandler } from "../handler.js";
import type { SnsParams } from "../params.js";
import { unwrap, usableTopic } from "../topic-stub.js";

/** Tags a topic may carry. */
export const MAX_TAGS = 50;
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

/** `Tags.member.N.Key/Value`, checked as SNS checks them. */
export function readTags(params: SnsParams): StringMap {
  const tags: StringMap = {};
  for (const { Key, Value } of params.tags("Tags")) {
    if (!TAG_KEY.test(Key)) throw SnsErrors.invalidParameter(`Tags Reason: Tag key ${Key} is invalid`);
    if (Key.toLowerCase().startsWith("aws:")) throw SnsErrors.invalidParameter("Tags Reason: Tag keys must not start with 'aws:'");
    if (!TAG_VALUE.test(Value)) throw SnsErrors.invalidParameter(`Tags Reason: Tag value for key ${Key} is invalid`);
    if (Key in tags) throw SnsErrors.invalidParameter("Tags Reason: Duplicated keys are not allowed.");
    tags[Key] = Value;
  }
  if (Object.keys(tags).length > MAX_TAGS) throw SnsErrors.tagLimitExceeded();
  return tags;
}

/** Only topics carry tags; a subscription's ARN or a malformed one names no resource. */
function topicOf(params: SnsParams) {
  const ref = parseAnyArn(params.required("ResourceArn"));
  if (!ref) throw SnsErrors.invalidParameter("ResourceArn");
  if ("id" in ref) throw SnsErrors.resourceNotFound();
  return ref;
}

function taggable(params: SnsParams, ctx: Parameters<SnsHandler>[1], action: string) {
  return usableTopic(ctx, topicOf(params), action);
}

/** A topic that does not exist is ResourceNotFound to the tagging actions, not NotFound. */
function resource<T>(outcome: Outcome<T>): T {
  if (!outcome.ok && outcome.error.code === "NotFound") throw SnsErrors.resourceNotFound();
  return unwrap(outcome);
}

export const tagResource: SnsHandler = async (params, ctx) => {
  const tags = readTags(params);
  if (Object.keys(tags).length === 0) throw SnsErrors.invalidParameter("Tags");
  resource(await (await taggable(params, ctx, "TagResource")).tag(tags, MAX_TAGS));
  return {};
};

export const untagResource: SnsHandler = async (params, ctx) => {
  const keys = params.list("TagKeys");
  resource(await (await taggable(params, ctx, "UntagResource")).untag(keys));
  return {};
};

export const listTagsForResource: SnsHandler = async (params, ctx) => {
  const tags = resource(await (await taggable(params, ctx, "ListTagsForResource")).listTags());
  return { Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) };
};
