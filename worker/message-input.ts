/**
 * Stateless rules for a message being sent and its conversion into
 * what the queue object stores, MD5s included, so the object's single thread does no hashing.
 */
import {
  MAX_ATTRIBUTE_NAME_LENGTH,
  MAX_ATTRIBUTE_TYPE_LENGTH,
  MAX_DELAY_SECONDS,
  MAX_MESSAGE_ATTRIBUTES,
  md5Hex,
  md5OfMessageAttributes,
  SqsErrors,
  type MessageAttributeMap,
  type SendMessageRequest,
} from "../sdk/protocol/index.js";
import type { NewMessage } from "../durable-objects/queue/types.js";

const encoder = new TextEncoder();
const INVALID_CHARACTER = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
/** Letters and digits of any script (AWS accepts `attr.1øßä`), hyphens, underscores and periods. */
const ATTRIBUTE_NAME = /^[\p{L}\p{N}_.\-]+$/u;
const DATA_TYPE = /^(String|Number|Binary)(\.[^\s].*)?$/;
const GROUP_OR_DEDUP_ID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;

export type SendInput = Omit<SendMessageRequest, "QueueUrl">;

function hasInvalidCharacters(text: string): boolean {
  return INVALID_CHARACTER.test(text);
}

/**
 * A message with the id its send is recognised by: a send the Worker repeats after a transient
 * failure (worker/object-calls.ts) carries the same id, and the queue object answers it with the
 * first run's result instead of storing the message again. One per SendMessage, one per entry.
 */
export function identified(message: NewMessage): NewMessage & { sendId: string } {
  return { ...message, sendId: randomSendId() };
}

/** 96 random bits, base64url: it rides in every message's stored meta, so it is kept short. */
function randomSendId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_");
}

/**
 * Validates one message and returns it ready to store. Throws SqsError on the first broken rule.
 * `traceHeader` (the request's X-Amzn-Trace-Id) becomes AWSTraceHeader unless the message sets
 * one itself; the MD5 of system attributes stays that of what the caller sent, as AWS's does.
 */
export function prepareMessage(input: SendInput, senderId: string, traceHeader?: string): NewMessage {
  const body = input.MessageBody;
  if (body === "") throw SqsErrors.missingParameter("MessageBody");
  if (hasInvalidCharacters(body)) throw SqsErrors.invalidMessageContents();
  if (input.DelaySeconds !== undefined && (input.DelaySeconds < 0 || input.DelaySeconds > MAX_DELAY_SECONDS)) {
    throw SqsErrors.invalidParameter(
      "DelaySeconds",
      input.DelaySeconds,
      `DelaySeconds must be >= 0 and <= ${MAX_DELAY_SECONDS}`,
    );
  }
  checkId("MessageGroupId", input.MessageGroupId);
  checkId("MessageDeduplicationId", input.MessageDeduplicationId);
  const attributesSize = checkAttributes(input.MessageAttributes ?? {}, "user");
  checkSystemAttributes(input.MessageSystemAttributes ?? {});
  const attributes = nonEmpty(input.MessageAttributes);
  const systemAttributes = nonEmpty(input.MessageSystemAttributes);
  const bodyBytes = encoder.encode(body);
  const stored =
    traceHeader && !systemAttributes?.AWSTraceHeader
      ? { ...systemAttributes, AWSTraceHeader: { DataType: "String", StringValue: traceHeader } }
      : systemAttributes;
  return {
    body,
    attributes: attributes && storeAttributes(attributes),
    systemAttributes: stored && storeAttributes(stored),
    md5Body: md5Hex(bodyBytes),
    md5Attributes: md5OfMessageAttributes(attributes),
    md5SystemAttributes: md5OfMessageAttributes(systemAttributes),
    size: bodyBytes.length + attributesSize,
    delaySeconds: input.DelaySeconds,
    groupId: input.MessageGroupId,
    dedupId: input.MessageDeduplicationId,
    senderId,
  };
}

/** Bytes a message counts against the size limits: body plus attribute names, types and values. */
export function messageSize(input: SendInput): number {
  return encoder.encode(input.MessageBody).length + attributeBytes(input.MessageAttributes ?? {});
}

function checkId(parameter: string, value: string | undefined): void {
  if (value !== undefined && !GROUP_OR_DEDUP_ID.test(value)) {
    throw SqsErrors.invalidParameter(
      parameter,
      value,
      `${parameter} can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
    );
  }
}

function checkAttributes(attributes: MessageAttributeMap, kind: "user" | "system"): number {
  const names = Object.keys(attributes);
  if (names.length > MAX_MESSAGE_ATTRIBUTES) {
    throw SqsErrors.invalidParameterValue(
      `Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_MESSAGE_ATTRIBUTES}].`,
    );
  }
  for (const name of names) {
    const value = attributes[name]!;
    if (
      name.length > MAX_ATTRIBUTE_NAME_LENGTH ||
      !ATTRIBUTE_NAME.test(name) ||
      /^(aws|amazon)\./i.test(name) ||
      name.startsWith(".") ||
      name.endsWith(".") ||
      name.includes("..")
    ) {
      throw SqsErrors.invalidParameterValue(
        `Message (${kind}) attribute name '${name}' is invalid. Names can contain alphanumeric characters, hyphens, underscores and periods, must not start or end with a period or contain two consecutive periods, must not start with AWS. or Amazon. and can be at most 256 characters long.`,
      );
    }
    const type = value.DataType;
    if (type === "" || type.length > MAX_ATTRIBUTE_TYPE_LENGTH || !DATA_TYPE.test(type)) {
      throw SqsErrors.invalidParameterValue(
        `The type of message (${kind}) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
      );
    }
    if (value.StringListValues?.length || value.BinaryListValues?.length) {
      throw SqsErrors.invalidParameterValue(
        `Message (${kind}) attribute '${name}': StringListValues and BinaryListValues are not supported.`,
      );
    }
    if (type.startsWith("Binary")) {
      if (!value.BinaryValue || value.BinaryValue.length === 0 || value.StringValue !== undefined) {
        throw SqsErrors.invalidParameterValue(
          `Message (${kind}) attribute '${name}' must contain a non-empty value of type 'Binary'.`,
        );
      }
      continue;
    }
    if (value.StringValue === undefined || value.StringValue === "" || value.BinaryValue !== undefined) {
      throw SqsErrors.invalidParameterValue(
        `Message (${kind}) attribute '${name}' must contain a non-empty value of type 'String'.`,
      );
    }
    if (hasInvalidCharacters(value.StringValue)) {
      throw SqsErrors.invalidParameterValue(
        `Message (${kind}) attribute '${name}' contains invalid characters. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF`,
      );
    }
    if (type.startsWith("Number") && !isSqsNumber(value.StringValue)) {
      throw SqsErrors.invalidParameterValue(`Can't cast the value of message (${kind}) attribute '${name}' to a number.`);
    }
  }
  return attributeBytes(attributes);
}

function checkSystemAttributes(attributes: MessageAttributeMap): void {
  for (const [name, value] of Object.entries(attributes)) {
    // AWSTraceHeader is the only message system attribute, and it is a String.
    if (name !== "AWSTraceHeader") {
      throw SqsErrors.invalidParameterValue(`Message system attribute name '${name}' is invalid.`);
    }
    if (value.DataType !== "String") {
      throw SqsErrors.invalidParameterValue(`Message system attribute '${name}' must be of type 'String'.`);
    }
  }
  checkAttributes(attributes, "system");
}

/** Up to 38 significant digits, magnitude between 10^-128 and 10^126 (SQS Number type). */
function isSqsNumber(text: string): boolean {
  const match = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!match || (match[1] === "" && (match[2] ?? "") === "")) return false;
  const digits = `${match[1]}${match[2] ?? ""}`.replace(/^0+/, "").replace(/0+$/, "");
  if (digits.length > 38) return false;
  const value = Math.abs(Number(text));
  return Number.isFinite(value) && (value === 0 || (value >= 1e-128 && value < 1e126));
}

function attributeBytes(attributes: MessageAttributeMap): number {
  let size = 0;
  for (const [name, value] of Object.entries(attributes)) {
    size += encoder.encode(name).length + encoder.encode(value.DataType).length;
    size += value.BinaryValue ? value.BinaryValue.length : encoder.encode(value.StringValue ?? "").length;
  }
  return size;
}

function nonEmpty(map: MessageAttributeMap | undefined): MessageAttributeMap | undefined {
  return map && Object.keys(map).length > 0 ? map : undefined;
}

/** Stored form: JSON with binary values in base64. */
function storeAttributes(attributes: MessageAttributeMap): string {
  const out: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }> = {};
  for (const [name, value] of Object.entries(attributes)) {
    out[name] =
      value.BinaryValue !== undefined
        ? { DataType: value.DataType, BinaryValue: toBase64(value.BinaryValue) }
        : { DataType: value.DataType, StringValue: value.StringValue };
  }
  return JSON.stringify(out);
}

export function loadAttributes(stored: string): MessageAttributeMap {
  const parsed = JSON.parse(stored) as Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
  const out: MessageAttributeMap = {};
  for (const [name, value] of Object.entries(parsed)) {
    out[name] =
      value.BinaryValue !== undefined
        ? { DataType: value.DataType, BinaryValue: Uint8Array.from(atob(value.BinaryValue), (c) => c.charCodeAt(0)) }
        : { DataType: value.DataType, StringValue: value.StringValue };
  }
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
