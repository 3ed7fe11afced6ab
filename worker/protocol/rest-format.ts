/**
 * The REST API's responses (worker/protocol/rest.ts): canonical SQS results in AWS casing to
 * the friendly camelCase bodies described by worker/protocol/openapi.ts, and SQS errors to
 * `{"error": {"code", "message"}}` with resource-style statuses. The one place REST is shaped.
 */
import {
  ERRORS,
  isErrorCode,
  type BatchResultErrorEntry,
  type ErrorCode,
  type Message,
  type MessageAttributeMap,
  type SendMessageBatchResult,
  type SendMessageResult,
  type SqsError,
} from "../../sdk/protocol/index.js";

const CONTENT_TYPE = "application/json";

/**
 * Where REST answers differently from the SQS table: a queue is a resource, so
 * a missing one is 404 and a name clash is 409; a throttle is HTTP's own 429. Every other code
 * keeps the SQS status.
 */
const REST_STATUS: Partial<Record<ErrorCode, number>> = {
  QueueDoesNotExist: 404,
  QueueNameExists: 409,
  QueueDeletedRecently: 409,
  RequestThrottled: 429,
};

export interface RestQueue {
  name: string;
  url: string;
}

export interface RestMessageAttribute {
  type: string;
  /** The text, or base64 of the bytes for the Binary types. */
  value: string;
}

function restStatus(code: ErrorCode): number {
  return REST_STATUS[code] ?? ERRORS[code].status;
}

/** A JSON answer ending in a newline (curl prints it as a line), or an empty one for a 204. */
export function restResponse(
  status: number,
  body: unknown,
  requestId: string,
  headers: Record<string, string> = {},
): Response {
  const all: Record<string, string> = { "x-amzn-requestid": requestId, ...headers };
  if (body === undefined) return new Response(null, { status, headers: all });
  return new Response(`${JSON.stringify(body)}\n`, { status, headers: { "content-type": CONTENT_TYPE, ...all } });
}

/** The error code is the catalogue's name (`QueueDoesNotExist`), never the legacy Query code. */
export function encodeRestError(error: SqsError, requestId: string, headers?: Record<string, string>): Response {
  return restResponse(restStatus(error.code), { error: { code: error.code, message: error.message } }, requestId, headers);
}

/** A queue URL's last segment is the queue's name. */
export function restQueue(url: string): RestQueue {
  return { name: url.slice(url.lastIndexOf("/") + 1), url };
}

export function restSendResult(result: SendMessageResult) {
  return {
    messageId: result.MessageId,
    md5OfBody: result.MD5OfMessageBody,
    ...(result.MD5OfMessageAttributes !== undefined && { md5OfAttributes: result.MD5OfMessageAttributes }),
    ...(result.SequenceNumber !== undefined && { sequenceNumber: result.SequenceNumber }),
  };
}

/** Batch entries are named by their position in the request's `messages`, so Ids are "0".."9". */
export function restBatchResult(result: SendMessageBatchResult) {
  return {
    successful: result.Successful.map(({ Id, ...sent }) => ({ index: Number(Id), ...restSendResult({ ...sent }) })),
    failed: result.Failed.map(restEntryFailure),
  };
}

function restEntryFailure(entry: BatchResultErrorEntry) {
  return {
    index: Number(entry.Id),
    code: codeOfQueryCode(entry.Code),
    message: entry.Message ?? "",
    senderFault: entry.SenderFault,
  };
}

/** Batch entries carry the legacy Query code; REST speaks catalogue names throughout. */
function codeOfQueryCode(queryCode: string): string {
  if (isErrorCode(queryCode)) return queryCode;
  const code = (Object.keys(ERRORS) as ErrorCode[]).find((name) => ERRORS[name].queryCode === queryCode);
  return code ?? queryCode;
}

export function restMessage(message: Message) {
  return {
    messageId: message.MessageId,
    receiptHandle: message.ReceiptHandle,
    body: message.Body,
    md5OfBody: message.MD5OfBody,
    attributes: restMessageAttributes(message.MessageAttributes ?? {}),
    ...(message.MD5OfMessageAttributes !== undefined && { md5OfAttributes: message.MD5OfMessageAttributes }),
    systemAttributes: message.Attributes ?? {},
  };
}

function restMessageAttributes(attributes: MessageAttributeMap): Record<string, RestMessageAttribute> {
  const out: Record<string, RestMessageAttribute> = {};
  for (const [name, value] of Object.entries(attributes)) {
    const text = value.BinaryValue !== undefined ? toBase64(value.BinaryValue) : (value.StringValue ?? "");
    Object.defineProperty(out, name, { value: { type: value.DataType, value: text }, enumerable: true });
  }
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
