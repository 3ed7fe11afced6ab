import { parseQueueUrl, queueStub } from "../queue-url.js";
import { unwrap, type Handler } from "./handler.js";

export const setQueueAttributes: Handler<"SetQueueAttributes"> = async (input, ctx) => {
  unwrap(await queueStub(ctx, parseQueueUrl(input.QueueUrl)).setAttributes(input.Attributes));
};
