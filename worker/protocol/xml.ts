/**
 * The Query protocol's responses: results and errors as XML. One generic
 * writer walks the result object; the only per-action knowledge is which element name each
 * flattened list or map uses, since Query lists and maps repeat elements without a wrapper.
 */
import type { ActionName, SqsError } from "../../sdk/protocol/index.js";

const XMLNS = "http://queue.amazonaws.com/doc/2012-11-05/";
const CONTENT_TYPE = "text/xml";

/** Actions whose response has no `<{Action}Result>` element. */
export const NO_OUTPUT = new Set<ActionName>([
  "DeleteQueue",
  "SetQueueAttributes",
  "PurgeQueue",
  "TagQueue",
  "UntagQueue",
  "DeleteMessage",
  "ChangeMessageVisibility",
  "AddPermission",
  "RemovePermission",
]);

/** Flattened list member -> the element repeated for each item. */
const LIST_ITEMS: Record<string, string> = {
  QueueUrls: "QueueUrl",
  queueUrls: "QueueUrl",
  Messages: "Message",
  Failed: "BatchResultErrorEntry",
  Results: "ListMessageMoveTasksResultEntry",
  StringListValues: "StringListValue",
  BinaryListValues: "BinaryListValue",
};

/** Batch results name their successful entries after the action. */
const SUCCESSFUL_ITEMS: Partial<Record<ActionName, string>> = {
  SendMessageBatch: "SendMessageBatchResultEntry",
  DeleteMessageBatch: "DeleteMessageBatchResultEntry",
  ChangeMessageVisibilityBatch: "ChangeMessageVisibilityBatchResultEntry",
};

/** Flattened map member -> [entry element, key element, value element]. */
const MAP_ENTRIES: Record<string, [string, string, string]> = {
  Attributes: ["Attribute", "Name", "Value"],
  Tags: ["Tag", "Key", "Value"],
  MessageAttributes: ["MessageAttribute", "Name", "Value"],
  MessageSystemAttributes: ["MessageSystemAttribute", "Name", "Value"],
};

/** The Query protocol's own wording where it differs from JSON's. */
export const QUERY_MESSAGES: Partial<Record<SqsError["code"], string>> = {
  QueueDoesNotExist: "The specified queue does not exist for this wsdl version.",
};

export function encodeXmlResult(action: ActionName, result: unknown, requestId: string): Response {
  const output = NO_OUTPUT.has(action) ? "" : element(`${action}Result`, members(action, result ?? {}));
  const metadata = element("ResponseMetadata", element("RequestId", escapeXml(requestId)));
  return xmlResponse(200, requestId, `<${action}Response xmlns="${XMLNS}">${output}${metadata}</${action}Response>`);
}

export function encodeXmlError(error: SqsError, requestId: string): Response {
  const { queryCode, status, fault } = error.spec;
  if (error.code === "NoActionAtQueueUrl") return xmlResponse(status, requestId, "<UnknownOperationException/>");
  const message = QUERY_MESSAGES[error.code] ?? error.message;
  const detail =
    element("Type", fault) + element("Code", escapeXml(queryCode)) + element("Message", escapeXml(message)) + "<Detail/>";
  const body = `<ErrorResponse xmlns="${XMLNS}">${element("Error", detail)}${element("RequestId", escapeXml(requestId))}</ErrorResponse>`;
  return xmlResponse(status, requestId, body);
}

function xmlResponse(status: number, requestId: string, body: string): Response {
  return new Response(`<?xml version="1.0"?>${body}`, {
    status,
    headers: { "content-type": CONTENT_TYPE, "x-amzn-requestid": requestId },
  });
}

/** The members of a structure, in the object's order; absent members are left out. */
function members(action: ActionName, value: object): string {
  let xml = "";
  for (const [name, member] of Object.entries(value)) {
    if (member === undefined || member === null) continue;
    xml += encodeMember(action, name, member);
  }
  return xml;
}

function encodeMember(action: ActionName, name: string, value: unknown): string {
  if (Array.isArray(value)) {
    const item = (name === "Successful" ? SUCCESSFUL_ITEMS[action] : undefined) ?? LIST_ITEMS[name] ?? name;
    return value.map((v) => encodeMember(action, item, v)).join("");
  }
  const map = MAP_ENTRIES[name];
  if (map && isPlainObject(value)) {
    const [entry, key, val] = map;
    return Object.entries(value)
      .map(([k, v]) => element(entry, element(key, escapeXml(k)) + encodeMember(action, val, v)))
      .join("");
  }
  if (isPlainObject(value)) return element(name, members(action, value));
  return element(name, scalar(value));
}

function scalar(value: unknown): string {
  if (value instanceof Uint8Array) return base64(value);
  return escapeXml(String(value));
}

function element(name: string, content: string): string {
  return content === "" ? `<${name}/>` : `<${name}>${content}</${name}>`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !(value instanceof Uint8Array) && !Array.isArray(value);
}

/**
 * Text content that round-trips byte for byte: `&`, `<`, `>` escaped, and `\r` as `&#xD;`
 * because XML parsers turn a literal CR (or CRLF) into LF. Tab and LF stay literal; they
 * survive parsing in element content. Characters XML cannot carry at all (SQS never stores
 * them, but an error message may quote client input) become U+FFFD so the document stays
 * well-formed.
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>\r]|[^\t\n\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, (c) => ESCAPES[c] ?? "\uFFFD");
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#xD;" };

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
