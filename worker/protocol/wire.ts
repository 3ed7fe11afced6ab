/** A wire protocol: decodes a request to the canonical form and encodes results and errors. */
import type { ActionName, SqsError, SqsRequest } from "../../sdk/protocol/index.js";
import { decodeJson, encodeJsonError, encodeJsonResult } from "./json.js";

export interface Wire {
  decode(request: Request, body: string): SqsRequest;
  result(action: ActionName, result: unknown, requestId: string): Response;
  error(error: SqsError, requestId: string): Response;
}

export const jsonWire: Wire = {
  decode: (request, body) => decodeJson(request.headers.get("x-amz-target") ?? "", body),
  result: (_action, result, requestId) => encodeJsonResult(result, requestId),
  error: encodeJsonError,
};

/**
 * JSON 1.0 when X-Amz-Target is present (sqs-spec.md 1). Everything else is answered in JSON
 * too until the Query protocol exists, so a stray request still gets an SQS-shaped error.
 */
export function detectWire(request: Request): Wire {
  return request.headers.has("x-amz-target") ? jsonWire : jsonWire;
}
