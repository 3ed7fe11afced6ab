/**
 * A message being published, checked as SNS checks it (the message and its size, Subject,
 * MessageStructure, message attributes, the FIFO ids), and turned into the outbox entry the
 * topic object stores. The topic object checks what needs the topic's settings (deduplication).
 */
import type { PublishAttribute, PublishEntry } from "../../durable-objects/topic/types.js";
import { SnsErrors } from "./errors.js";
import type { SnsMessageAttributes, SnsParams } from "./params.js";

/** 256 KiB: the message and its attributes (names, types and values) together. */
export const MAX_PUBLISH_BYTES = 262_144;
const encoder = new TextEncoder();
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
const DATA_TYPE = /^(String|Number|Binary)(\..+)?$/;
const FIFO_ID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;
/** Printable ASCII that starts with a letter, digit or punctuation: no line breaks or control characters. */
const SUBJECT = /^[!-~][ -~]*$/;

export interface PublishInput {
  entry: Omit<PublishEntry, "origin">;
  bytes: number;
}

/** One Publish (or one PublishBatch entry), read from its parameters. */
export function readPublish(params: SnsParams, fifoTopic: boolean): PublishInput {
  const message = params.string("Message");
  if (message === undefined || message === "") throw SnsErrors.invalidParameter("Empty message");
  const subject = params.string("Subject");
  if (subject !== undefined && (subject.length > 100 || !SUBJECT.test(subject))) throw SnsErrors.invalidParameter("Subject");
  const structure = params.string("MessageStructure");
  if (structure !== undefined && structure !== "json") throw SnsErrors.invalidParameter("MessageStructure");
  if (structure === "json") checkJsonStructure(message);
  const attributes = params.messageAttributes();
  const attributeBytes = checkAttributes(attributes);
  const bytes = encoder.encode(message).length + attributeBytes;
  if (bytes > MAX_PUBLISH_BYTES) throw SnsErrors.invalidParameter("Message too long");

  const groupId = params.string("MessageGroupId");
  const dedupId = params.string("MessageDeduplicationId");
  if (fifoTopic) {
    if (groupId === undefined) throw SnsErrors.invalidParameter("The MessageGroupId parameter is required for FIFO topics");
    checkFifoId("MessageGroupId", groupId);
    if (dedupId !== undefined) checkFifoId("MessageDeduplicationId", dedupId);
  } else {
    if (dedupId !== undefined) {
      throw SnsErrors.invalidParameter(
        "MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type",
      );
    }
    if (groupId !== undefined) checkFifoId("MessageGroupId", groupId);
  }
  const entry: PublishInput["entry"] = { message };
  if (subject !== undefined) entry.subject = subject;
  if (structure === "json") entry.messageStructure = "json";
  if (Object.keys(attributes).length > 0) entry.attributes = storedAttributes(attributes);
  if (groupId !== undefined) entry.groupId = groupId;
  if (dedupId !== undefined) entry.dedupId = dedupId;
  return { entry, bytes };
}

/** A FIFO publish without a deduplication id carries the SHA-256 of its message, for content-based deduplication. */
export async function withContentHash(entry: PublishInput["entry"], fifoTopic: boolean): Promise<PublishInput["entry"]> {
  if (!fifoTopic || entry.dedupId !== undefined) return entry;
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(entry.message));
  const contentHash = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return { ...entry, contentHash };
}

function checkJsonStructure(message: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw SnsErrors.invalidParameter("Message Structure - JSON message body failed to parse");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw SnsErrors.invalidParameter("Message Structure - JSON message body failed to parse");
  }
  if (!("default" in parsed)) throw SnsErrors.invalidParameter("Message Structure - No default entry in JSON message body");
}

function checkFifoId(parameter: string, value: string): void {
  if (!FIFO_ID.test(value)) {
    throw SnsErrors.invalidParameter(`${parameter} Reason: ${parameter} can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
  }
}

/** SNS's message attribute rules; answers the bytes they count toward the 256 KiB. */
function checkAttributes(attributes: SnsMessageAttributes): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(attributes)) {
    if (
      !ATTRIBUTE_NAME.test(name) ||
      /^(aws|amazon)\./i.test(name) ||
      name.startsWith(".") ||
      name.endsWith(".") ||
      name.includes("..")
    ) {
      throw SnsErrors.parameterValueInvalid(
        `The message attribute name '${name}' is invalid. Names can contain alphanumeric characters, hyphens, underscores and periods, must not start or end with a period or contain two consecutive periods, must not start with AWS. or Amazon. and can be at most 256 characters long.`,
      );
    }
    const type = value.DataType;
    if (type === "" || !DATA_TYPE.test(type)) {
      throw SnsErrors.parameterValueInvalid(
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    }
    const binary = type.startsWith("Binary");
    const field = binary ? "Binary" : "String";
    const present = binary ? value.BinaryValue : value.StringValue;
    if (present === undefined) {
      throw SnsErrors.parameterValueInvalid(`The message attribute '${name}' with type '${type}' must use field '${field}'.`);
    }
    if (present.length === 0) {
      throw SnsErrors.parameterValueInvalid(
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`,
      );
    }
    if (type.startsWith("Number") && !isNumber(value.StringValue!)) {
      throw SnsErrors.parameterValueInvalid(`Could not cast message attribute '${name}' value to number.`);
    }
    if (type === "String.Array" && !isStringArray(value.StringValue!)) {
      throw SnsErrors.parameterValueInvalid(`The message attribute '${name}' with type 'String.Array' must be a JSON array of strings, numbers, true, false or null.`);
    }
    bytes += encoder.encode(name).length + encoder.encode(type).length;
    bytes += binary ? value.BinaryValue!.length : encoder.encode(value.StringValue!).length;
  }
  return bytes;
}

function isNumber(text: string): boolean {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim()) && Number.isFinite(Number(text));
}

function isStringArray(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.every((v) => v === null || ["string", "number", "boolean"].includes(typeof v));
  } catch {
    return false;
  }
}

function storedAttributes(attributes: SnsMessageAttributes): Record<string, PublishAttribute> {
  const out: Record<string, PublishAttribute> = {};
  for (const [name, value] of Object.entries(attributes)) {
    out[name] =
      value.BinaryValue !== undefined
        ? { DataType: value.DataType, BinaryValue: toBase64(value.BinaryValue) }
        : { DataType: value.DataType, StringValue: value.StringValue };
  }
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
