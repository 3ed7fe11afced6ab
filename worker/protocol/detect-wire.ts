/**
 * The wire each request speaks. The protocols' wires live here, beside the choice between them,
 * so that a protocol module (rest.ts builds a wire per request) needs only the `Wire` contract.
 */
import { decodeJson, encodeJsonError, encodeJsonResult } from "./json.js";
import { decodeQuery } from "./query.js";
import { encodeQueryJsonError, encodeQueryJsonResult, wantsJson } from "./query-json.js";
import { createRestWire, isRestRequest } from "./rest.js";
import type { Wire } from "./wire.js";
import { encodeXmlError, encodeXmlResult } from "./xml.js";

export const jsonWire: Wire = {
  decode: (request, body) => decodeJson(request.headers.get("x-amz-target") ?? "", body),
  result: (_action, result, requestId) => encodeJsonResult(result, requestId),
  error: encodeJsonError,
};

/** Form or query-string parameters in, XML out. */
const queryWire: Wire = {
  decode: decodeQuery,
  result: encodeXmlResult,
  error: encodeXmlError,
};

/** Query parameters in, JSON out: a Query request with `Accept: application/json` (query-json.ts). */
const queryJsonWire: Wire = {
  decode: decodeQuery,
  result: encodeQueryJsonResult,
  error: encodeQueryJsonError,
};

/**
 * REST for paths under `/v1` (rest.ts; a wire per request, as its answers depend on the route).
 * JSON 1.0 when the request says so (`X-Amz-Target`, or a JSON 1.0 content type whose target
 * is missing, so that client still gets a JSON error). Everything else is Query: a form POST or
 * a GET with `Action=`, to `/` or to a queue URL; a request with no Action at all gets Query's
 * `MissingAction` error, the answer of the oldest protocol to an unknown caller. A Query request
 * that accepts JSON gets its answer in JSON.
 */
export function detectWire(request: Request): Wire {
  if (isRestRequest(request)) return createRestWire();
  const type = request.headers.get("content-type") ?? "";
  if (request.headers.has("x-amz-target") || /^application\/x-amz-json-1\.[01]\b/i.test(type)) return jsonWire;
  return wantsJson(request) ? queryJsonWire : queryWire;
}
