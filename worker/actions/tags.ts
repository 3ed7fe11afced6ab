/** TagQueue, UntagQueue and ListQueueTags: tags live with the queue object and go with it. */
import { MAX_TAG_KEY_LENGTH, MAX_TAG_VALUE_LENGTH, MAX_TAGS, SqsErrors } from "../../sdk/protocol/index.js";
import { parseQueueUrl, queueStub } from "../queue-url.js";
import { unwrap, type Handler } from "./handler.js";

const TAG_CHARACTERS = /^[\p{L}\p{N}\s_.:/=+\-@]*$/u;

export const tagQueue: Handler<"TagQueue"> = async (input, ctx) => {
  checkTags(input.Tags);
  unwrap(await queueStub(ctx, parseQueueUrl(input.QueueUrl, ctx)).tag(input.Tags));
};

export const untagQueue: Handler<"UntagQueue"> = async (input, ctx) => {
  unwrap(await queueStub(ctx, parseQueueUrl(input.QueueUrl, ctx)).untag(input.TagKeys));
};

export const listQueueTags: Handler<"ListQueueTags"> = async (input, ctx) => {
  const tags = unwrap(await queueStub(ctx, parseQueueUrl(input.QueueUrl, ctx)).listTags());
  return Object.keys(tags).length > 0 ? { Tags: tags } : {};
};

/** Tag limits from the SQS developer guide; CreateQueue's tags obey them too. */
export function checkTags(tags: Record<string, string>): void {
  const keys = Object.keys(tags);
  if (keys.length === 0) throw SqsErrors.missingParameter("Tags");
  if (keys.length > MAX_TAGS) throw SqsErrors.invalidParameterValue(`Too many tags: at most ${MAX_TAGS} are allowed.`);
  for (const [key, value] of Object.entries(tags)) {
    if (key.length < 1 || key.length > MAX_TAG_KEY_LENGTH || !TAG_CHARACTERS.test(key) || key.toLowerCase().startsWith("aws:")) {
      throw SqsErrors.invalidParameter("Tag key", key, "Tag keys must be 1 to 128 characters of letters, digits, spaces and _ . : / = + - @, and must not start with aws:.");
    }
    if (value.length > MAX_TAG_VALUE_LENGTH || !TAG_CHARACTERS.test(value)) {
      throw SqsErrors.invalidParameter("Tag value", value, "Tag values must be 0 to 256 characters of letters, digits, spaces and _ . : / = + - @.");
    }
  }
}
