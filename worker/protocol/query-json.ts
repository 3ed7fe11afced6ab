/**
 * Query answers in JSON, for a Query request that sends `Accept: application/json`, as AWS's
 * Query services do: the XML document's structure, JSON-encoded (`{"SendMessageResponse":
 * {"SendMessageResult": {...}, "ResponseMetadata": {"RequestId": "..."}}}`; LocalStack's
 * serializer, validated against AWS, answers the same shape). Inside the Result element the
 * members are those of the JSON protocol's result: lists are arrays under their member names.
 */
import type { ActionName, SqsError } from "../../sdk/protocol/index.js";
import { binaryAsBase64 } from "./json.js";
import { NO_OUTPUT, QUERY_MESSAGES } from "./xml.js";

const CONTENT_TYPE = "application/json";

/** A Query request that asks for JSON (and is not a JSON 1.0 request, which never gets here). */
export function wantsJson(request: Request): boolean {
  return /\bapplication\/json\b/i.test(request.headers.get("accept") ?? "");
}

export function encodeQueryJsonResult(action: ActionName, result: unknown, requestId: string): Response {
  const response: Record<string, unknown> = {};
  if (!NO_OUTPUT.has(action)) response[`${action}Result`] = result ?? {};
  response.ResponseMetadata = { RequestId: requestId };
  return jsonResponse(200, requestId, { [`${action}Response`]: response });
}

export function encodeQueryJsonError(error: SqsError, requestId: string): Response {
  const { queryCode, status, fault } = error.spec;
  const message = QUERY_MESSAGES[error.code] ?? error.message;
  const body = { ErrorResponse: { Error: { Type: fault, Code: queryCode, Message: message }, RequestId: requestId } };
  return jsonResponse(status, requestId, body);
}

function jsonResponse(status: number, requestId: string, body: unknown): Response {
  return new Response(JSON.stringify(body, binaryAsBase64), {
    status,
    headers: { "content-type": CONTENT_TYPE, "x-amzn-requestid": requestId },
  });
}
