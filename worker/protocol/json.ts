/** AWS JSON 1.0: `X-Amz-Target: AmazonSQS.<Action>`, JSON bodies. */
import { isActionName, SqsErrors, type SqsError, type SqsRequest } from "../../sdk/protocol/index.js";
import { checkInput } from "./input-shape.js";

const CONTENT_TYPE = "application/x-amz-json-1.0";
const TARGET_PREFIX = "AmazonSQS.";

export function decodeJson(target: string, body: string): SqsRequest {
  const action = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : "";
  if (!isActionName(action)) throw SqsErrors.unknownOperation(target);
  let parsed: unknown;
  try {
    parsed = body.trim() === "" ? {} : JSON.parse(body);
  } catch {
    throw SqsErrors.malformedInput("The request body is not valid JSON.");
  }
  return checkInput(action, parsed, { fromText: false });
}

export function encodeJsonResult(result: unknown, requestId: string): Response {
  return new Response(JSON.stringify(result ?? {}, jsonMember), {
    status: 200,
    headers: { "content-type": CONTENT_TYPE, "x-amzn-requestid": requestId },
  });
}

export function encodeJsonError(error: SqsError, requestId: string): Response {
  const { shape, queryCode, status, fault } = error.spec;
  return new Response(JSON.stringify({ __type: `com.amazonaws.sqs#${shape}`, message: error.message }), {
    status,
    headers: {
      "content-type": CONTENT_TYPE,
      "x-amzn-requestid": requestId,
      "x-amzn-query-error": `${queryCode};${fault}`,
    },
  });
}

/**
 * AWS's JSON serializer leaves out a list with no members (a batch with no failures has no
 * `Failed`, an empty receive is `{}`); clients read an absent list as empty.
 */
function jsonMember(this: unknown, key: string, value: unknown): unknown {
  if (key !== "" && !Array.isArray(this) && Array.isArray(value) && value.length === 0) return undefined;
  return binaryAsBase64(key, value);
}

export function binaryAsBase64(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) {
    let binary = "";
    for (const b of value) binary += String.fromCharCode(b);
    return btoa(binary);
  }
  return value;
}
