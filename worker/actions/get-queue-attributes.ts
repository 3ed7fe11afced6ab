import { queueAttributes } from "../partition-fanout.js";
import { parseQueueUrl } from "../queue-url.js";
import type { Handler } from "./handler.js";

export const getQueueAttributes: Handler<"GetQueueAttributes"> = async (input, ctx) => {
  const attributes = await queueAttributes(ctx, parseQueueUrl(input.QueueUrl, ctx), input.AttributeNames ?? []);
  return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
};
