import { MAX_LIST_QUEUES_RESULTS, SqsErrors } from "../../sdk/protocol/index.js";
import { queueUrl, registryStub } from "../queue-url.js";
import type { Handler } from "./handler.js";

export const listQueues: Handler<"ListQueues"> = async (input, ctx) => {
  const max = input.MaxResults;
  if (max !== undefined && (max < 1 || max > MAX_LIST_QUEUES_RESULTS)) {
    throw SqsErrors.invalidParameter("MaxResults", max, "MaxResults must be an integer between 1 and 1000.");
  }
  // NextToken only means something together with MaxResults (AWS ignores it otherwise).
  const after = max !== undefined && input.NextToken ? decodeToken(input.NextToken) : undefined;
  const page = await registryStub(ctx, ctx.accountId).list(input.QueueNamePrefix ?? "", max ?? MAX_LIST_QUEUES_RESULTS, after);
  const result: { QueueUrls?: string[]; NextToken?: string } = {};
  if (page.names.length > 0) result.QueueUrls = page.names.map((name) => queueUrl(ctx, { accountId: ctx.accountId, name }));
  if (max !== undefined && page.after !== undefined) result.NextToken = btoa(page.after);
  return result;
};

function decodeToken(token: string): string {
  try {
    return atob(token);
  } catch {
    throw SqsErrors.invalidParameter("NextToken", token, "Invalid or expired next token.");
  }
}
