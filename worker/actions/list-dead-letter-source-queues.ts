import { MAX_LIST_QUEUES_RESULTS } from "../../sdk/protocol/index.js";
import { parseQueueUrl, queueStub, queueUrl, registryStub } from "../queue-url.js";
import { unwrap, type Handler } from "./handler.js";
import { checkMaxResults, nextToken, pageStart } from "./paging.js";

export const listDeadLetterSourceQueues: Handler<"ListDeadLetterSourceQueues"> = async (input, ctx) => {
  const ref = parseQueueUrl(input.QueueUrl, ctx);
  const max = input.MaxResults;
  checkMaxResults(max);
  const target = unwrap(await queueStub(ctx, ref).describe());
  // "A list of your queues": the caller's own sources, also for a DLQ another account shares.
  const page = await registryStub(ctx, ctx.accountId).listDeadLetterSources(
    target.arn,
    max ?? MAX_LIST_QUEUES_RESULTS,
    pageStart(max, input.NextToken),
  );
  // queueUrls is a required member: always present, even when empty.
  const result: { queueUrls: string[]; NextToken?: string } = {
    queueUrls: page.names.map((name) => queueUrl(ctx, { accountId: ctx.accountId, name })),
  };
  const token = nextToken(max, page.after);
  if (token) result.NextToken = token;
  return result;
};
