/**
 * Query answers in JSON, for a Query request that sends `Accept: application/json`, as SQS
 * answers one (as recorded from AWS behind API Gateway integrations, whose Accept is JSON):
 *
 *   {"SendMessageResponse":{"ResponseMetadata":{"RequestId":"…"},"SendMessageResult":
 *     {"MD5OfMessageAttributes":null,"MD5OfMessageBody":"…","MD5OfMessageSystemAttributes":null,
 *      "MessageId":"…","SequenceNumber":null}}}
 *   {"ReceiveMessageResponse":{"ReceiveMessageResult":{"messages":null},"ResponseMetadata":{…}}}
 *   {"Error":{"Code":"AccessDenied","Message":"…","Type":"Sender"},"RequestId":"…"}
 *
 * That is the service's own object model, not the XML document: every member of a structure is
 * present, null when it has no value (an empty list or map too), keys in alphabetical order,
 * maps as objects, and list members under lower-camel names (`messages`, `queueUrls`,
 * `successful`, `failed`, …) where the XML repeats a singular element. A request that names no
 * Action has no action to render and gets the XML answer whatever it accepts.
 */
import type { ActionName, SqsError } from "../../sdk/protocol/index.js";
import { binaryAsBase64 } from "./json.js";
import { encodeXmlError, NO_OUTPUT, QUERY_MESSAGES } from "./xml.js";

const CONTENT_TYPE = "application/json";

/** A scalar, a map of `value`s, a list of `item`s, or a structure with these members. */
type Shape = "scalar" | { map: Shape } | { list: Shape } | { struct: Record<string, Shape> };

const S = "scalar" as const;
const list = (item: Shape): Shape => ({ list: item });
const map = (value: Shape = S): Shape => ({ map: value });
const struct = (members: Record<string, Shape>): Shape => ({ struct: members });

const MESSAGE_ATTRIBUTE_VALUE = struct({
  BinaryValue: S,
  DataType: S,
  StringValue: S,
  binaryListValues: list(S),
  stringListValues: list(S),
});
const MESSAGE = struct({
  Attributes: map(),
  Body: S,
  MD5OfBody: S,
  MD5OfMessageAttributes: S,
  MessageAttributes: map(MESSAGE_ATTRIBUTE_VALUE),
  MessageId: S,
  ReceiptHandle: S,
});
const SEND_RESULT: Record<string, Shape> = {
  MD5OfMessageAttributes: S,
  MD5OfMessageBody: S,
  MD5OfMessageSystemAttributes: S,
  MessageId: S,
  SequenceNumber: S,
};
const FAILED = list(struct({ Code: S, Id: S, Message: S, SenderFault: S }));
const ID_BATCH_RESULT = struct({ failed: FAILED, successful: list(struct({ Id: S })) });

const RESULTS: Partial<Record<ActionName, Shape>> = {
  CreateQueue: struct({ QueueUrl: S }),
  GetQueueUrl: struct({ QueueUrl: S }),
  // NextExclusiveStartQueueName: a member of the service's model that AWS renders (as null).
  ListQueues: struct({ NextExclusiveStartQueueName: S, NextToken: S, queueUrls: list(S) }),
  GetQueueAttributes: struct({ Attributes: map() }),
  ListQueueTags: struct({ Tags: map() }),
  SendMessage: struct(SEND_RESULT),
  SendMessageBatch: struct({ failed: FAILED, successful: list(struct({ Id: S, ...SEND_RESULT })) }),
  ReceiveMessage: struct({ messages: list(MESSAGE) }),
  DeleteMessageBatch: ID_BATCH_RESULT,
  ChangeMessageVisibilityBatch: ID_BATCH_RESULT,
  ListDeadLetterSourceQueues: struct({ NextToken: S, queueUrls: list(S) }),
  StartMessageMoveTask: struct({ TaskHandle: S }),
  CancelMessageMoveTask: struct({ ApproximateNumberOfMessagesMoved: S }),
  ListMessageMoveTasks: struct({
    results: list(
      struct({
        ApproximateNumberOfMessagesMoved: S,
        ApproximateNumberOfMessagesToMove: S,
        DestinationArn: S,
        FailureReason: S,
        MaxNumberOfMessagesPerSecond: S,
        SourceArn: S,
        StartedTimestamp: S,
        Status: S,
        TaskHandle: S,
      }),
    ),
  }),
};

/** A Query request that asks for JSON (and is not a JSON 1.0 request, which never gets here). */
export function wantsJson(request: Request): boolean {
  return /\bapplication\/json\b/i.test(request.headers.get("accept") ?? "");
}

export function encodeQueryJsonResult(action: ActionName, result: unknown, requestId: string): Response {
  const response: Record<string, unknown> = {};
  const shape = RESULTS[action];
  const body = shape && !NO_OUTPUT.has(action) ? render(shape, result ?? {}) : undefined;
  // `…Result` sorts before `ResponseMetadata` for some actions and after it for others.
  const metadata = { RequestId: requestId };
  for (const key of [`${action}Result`, "ResponseMetadata"].sort()) {
    if (key === "ResponseMetadata") response[key] = metadata;
    else if (body !== undefined) response[key] = body;
  }
  return jsonResponse(200, requestId, { [`${action}Response`]: response });
}

export function encodeQueryJsonError(error: SqsError, requestId: string): Response {
  // No Action, no action's JSON rendering: the service's bare XML answer.
  if (error.code === "NoActionAtQueueUrl" || error.code === "MissingAction") return encodeXmlError(error, requestId);
  const { queryCode, status, fault } = error.spec;
  const message = QUERY_MESSAGES[error.code] ?? error.message;
  return jsonResponse(status, requestId, { Error: { Code: queryCode, Message: message, Type: fault }, RequestId: requestId });
}

/** The canonical result's name for a member AWS's JSON rendition names in lower camel case. */
const CANONICAL_NAMES: Record<string, string> = {
  messages: "Messages",
  queueUrls: "QueueUrls",
  successful: "Successful",
  failed: "Failed",
  results: "Results",
  binaryListValues: "BinaryListValues",
  stringListValues: "StringListValues",
};

function render(shape: Shape, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (shape === "scalar") return binaryAsBase64("", value);
  if ("list" in shape) {
    if (!Array.isArray(value) || value.length === 0) return null;
    return value.map((item) => render(shape.list, item));
  }
  if (typeof value !== "object") return null;
  const fields = value as Record<string, unknown>;
  if ("map" in shape) {
    const keys = Object.keys(fields);
    if (keys.length === 0) return null;
    return Object.fromEntries(keys.sort().map((key) => [key, render(shape.map, fields[key])]));
  }
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(shape.struct).sort()) {
    const member = fields[name] !== undefined ? fields[name] : fields[CANONICAL_NAMES[name] ?? name];
    out[name] = render(shape.struct[name]!, member);
  }
  return out;
}

function jsonResponse(status: number, requestId: string, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": CONTENT_TYPE, "x-amzn-requestid": requestId },
  });
}
