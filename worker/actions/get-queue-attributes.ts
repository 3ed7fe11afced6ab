import { parseQueueUrl, queueStub } from "../queue-url.js";
import { unwrap, type Handler } from "./handler.js";

export const getQueueAttributes: Handler<"GetQueueAttributes"> = async (input, ctx) => {
  const attributes = unwrap(await queueStub(ctx, parseQueueUrl(input.QueueUrl, ctx)).getAttributes(input.AttributeNames ?? []));
  return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
};
