import { MAX_LIST_QUEUES_RESULTS, SqsErrors } from "../../sdk/protocol/index.js";
import { parseQueueUrl, queueStub, queueUrl, registryStub } from "../queue-url.js";
import { unwrap, type Handler } from "./handler.js";

export const listDeadLetterSourceQueues: Handler<"ListDeadLetterSourceQueues"> = async (input, ctx) => {
  const ref = parseQueueUrl(input.QueueUrl);
  const max = input.MaxResults;
  if (max !== undefined && (max < 1 || max > MAX_LIST_QUEUES_RESULTS)) {
    throw SqsErrors.invalidParameter("MaxResults", max, "MaxResults must be an integer between 1 and 1000.");
  }
  const target = unwrap(await queueStub(ctx, ref).describe());
  const after = max !== undefined && input.NextToken ? decodeToken(input.NextToken) : undefined;
  const page = await registryStub(ctx, ref.accountId).listDeadLetterSources(
    target.arn,
    max ?? MAX_LIST_QUEUES_RESULTS,
    after,
  );
  // queueUrls is a required member: always present, even when empty.
  const result: { queueUrls: string[]; NextToken?: string } = {
    queueUrls: page.names.map((name) => queueUrl(ctx, { accountId: ref.accountId, name })),
  };
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
