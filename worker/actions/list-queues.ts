import { MAX_LIST_QUEUES_RESULTS } from "../../sdk/protocol/index.js";
import { queueUrl, registryStub } from "../queue-url.js";
import type { Handler } from "./handler.js";
import { checkMaxResults, nextToken, pageStart } from "./paging.js";

export const listQueues: Handler<"ListQueues"> = async (input, ctx) => {
  const max = input.MaxResults;
  checkMaxResults(max);
  const page = await registryStub(ctx, ctx.accountId).list(
    input.QueueNamePrefix ?? "",
    max ?? MAX_LIST_QUEUES_RESULTS,
    pageStart(max, input.NextToken),
  );
  const result: { QueueUrls?: string[]; NextToken?: string } = {};
  if (page.names.length > 0) result.QueueUrls = page.names.map((name) => queueUrl(ctx, { accountId: ctx.accountId, name }));
  const token = nextToken(max, page.after);
  if (token) result.NextToken = token;
  return result;
};
