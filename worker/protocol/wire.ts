/** A wire protocol: decodes a request to the canonical form and encodes results and errors. */
import type { ActionName, SqsError, SqsRequest } from "../../sdk/protocol/index.js";
import type { RequestContext } from "../context.js";

export interface Wire {
  /** `caller` is the authenticated account: REST paths name queues without one. */
  decode(request: Request, body: string, caller: { accountId: string }): SqsRequest;
  /** Reads, after the action succeeded, what `result` needs besides its result (the REST queue resource's partition count). */
  complete?(ctx: RequestContext): Promise<void>;
  result(action: ActionName, result: unknown, requestId: string): Response;
  error(error: SqsError, requestId: string): Response;
}
