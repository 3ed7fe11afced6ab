/** MaxResults and NextToken as ListQueues and ListDeadLetterSourceQueues take them. */
import { MAX_LIST_QUEUES_RESULTS, SqsErrors } from "../../sdk/protocol/index.js";

export function checkMaxResults(max: number | undefined): void {
  if (max !== undefined && (max < 1 || max > MAX_LIST_QUEUES_RESULTS)) {
    throw SqsErrors.invalidParameter("MaxResults", max, "MaxResults must be an integer between 1 and 1000.");
  }
}

/** The name to continue after. NextToken only means something with MaxResults (AWS ignores it otherwise). */
export function pageStart(max: number | undefined, token: string | undefined): string | undefined {
  if (max === undefined || !token) return undefined;
  try {
    return atob(token);
  } catch {
    throw SqsErrors.invalidParameter("NextToken", token, "Invalid or expired next token.");
  }
}

export function nextToken(max: number | undefined, after: string | undefined): string | undefined {
  return max !== undefined && after !== undefined ? btoa(after) : undefined;
}
