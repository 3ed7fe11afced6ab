/** A wire protocol: decodes a request to the canonical form and encodes results and errors. */
import type { ActionName, SqsError, SqsRequest } from "../../sdk/protocol/index.js";

export interface Wire {
  /** `caller` is the authenticated account: REST paths name queues without one. */
  decode(request: Request, body: string, caller: { accountId: string }): SqsRequest;
  result(action: ActionName, result: unknown, requestId: string): Response;
  error(error: SqsError, requestId: string): Response;
}
