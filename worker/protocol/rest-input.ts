/**
 * Reading the REST API's JSON bodies and query strings (worker/protocol/rest.ts). Errors name
 * the REST field (`messages[2].delaySeconds`), not the SQS member it becomes, and unknown
 * fields are refused: a typo in a hand-written curl body should not be silently ignored.
 */
import { SqsErrors } from "../../sdk/protocol/index.js";

export type JsonObject = Record<string, unknown>;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const INTEGER = /^-?\d+$/;

/** The request body as a JSON object; an empty body reads as `{}`. */
export function parseBody(text: string): JsonObject {
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw SqsErrors.malformedInput("The request body is not valid JSON.");
  }
  if (!isObject(parsed)) throw SqsErrors.invalidParameterValue("The request body must be a JSON object.");
  return parsed;
}

/** `value` as an object whose keys are all in `allowed`. */
export function fields(value: unknown, path: string, allowed: readonly string[]): JsonObject {
  if (!isObject(value)) throw wrongType(path || "body", value, "an object");
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw SqsErrors.invalidParameterValue(
        `Unknown field ${path ? `${path}.` : ""}${key}. Expected one of: ${allowed.join(", ")}.`,
      );
    }
  }
  return value;
}

export function string(source: JsonObject, key: string, path: string, required: true): string;
export function string(source: JsonObject, key: string, path: string, required?: boolean): string | undefined;
export function string(source: JsonObject, key: string, path: string, required = false): string | undefined {
  const value = source[key];
  if (value === undefined || value === null) return absent(join(path, key), required);
  if (typeof value !== "string") throw wrongType(join(path, key), value, "a string");
  return value;
}

export function integer(source: JsonObject, key: string, path: string, required: true): number;
export function integer(source: JsonObject, key: string, path: string, required?: boolean): number | undefined;
export function integer(source: JsonObject, key: string, path: string, required = false): number | undefined {
  const value = source[key];
  if (value === undefined || value === null) return absent(join(path, key), required);
  if (typeof value !== "number" || !Number.isInteger(value)) throw wrongType(join(path, key), value, "an integer");
  return value;
}

/** A map of strings, e.g. tags. */
export function stringMap(source: JsonObject, key: string, path: string): Record<string, string> | undefined {
  const value = source[key];
  if (value === undefined || value === null) return undefined;
  const name = join(path, key);
  if (!isObject(value)) throw wrongType(name, value, "an object");
  return mapValues(value, (item, itemKey) => {
    if (typeof item !== "string") throw wrongType(`${name}.${itemKey}`, item, "a string");
    return item;
  });
}

/**
 * Queue attributes are text in SQS; here numbers, booleans and JSON objects (a RedrivePolicy)
 * are accepted too and sent as their text: `{"VisibilityTimeout": 60}` means `"60"`.
 */
export function attributeMap(source: JsonObject, key: string, path: string, required = false) {
  const value = source[key];
  if (value === undefined || value === null) return absent(join(path, key), required);
  const name = join(path, key);
  if (!isObject(value)) throw wrongType(name, value, "an object");
  return mapValues(value, (item, itemKey) => {
    if (typeof item === "string") return item;
    if (typeof item === "number" || typeof item === "boolean") return String(item);
    if (isObject(item)) return JSON.stringify(item);
    throw wrongType(`${name}.${itemKey}`, item, "a string, number, boolean or object");
  });
}

/** Message attributes `{"name": {"type": "String", "value": "…"}}` in SQS's MessageAttributeValue form. */
export function messageAttributes(source: JsonObject, key: string, path: string) {
  const value = source[key];
  if (value === undefined || value === null) return undefined;
  const name = join(path, key);
  if (!isObject(value)) throw wrongType(name, value, "an object");
  return mapValues(value, (item, itemKey) => {
    const at = `${name}.${itemKey}`;
    const attribute = fields(item, at, ["type", "value"]);
    const type = string(attribute, "type", at, true);
    const text = attribute.value;
    if (typeof text === "number" && Number.isFinite(text)) return { DataType: type, StringValue: String(text) };
    if (typeof text !== "string") {
      if (text === undefined || text === null) throw SqsErrors.missingParameter(`${at}.value`);
      throw wrongType(`${at}.value`, text, "a string");
    }
    if (!type.startsWith("Binary")) return { DataType: type, StringValue: text };
    if (!BASE64.test(text) || text.length % 4 === 1) {
      throw SqsErrors.invalidParameter(`${at}.value`, text, "Binary values must be base64.");
    }
    return { DataType: type, BinaryValue: text };
  });
}

/** Query string parameters, each at most once, none unknown. */
export function queryParams(search: URLSearchParams, allowed: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of search) {
    if (!allowed.includes(key)) {
      const expected = allowed.length > 0 ? ` Expected: ${allowed.join(", ")}.` : "";
      throw SqsErrors.invalidParameterValue(`Unknown query parameter ${key}.${expected}`);
    }
    if (out.has(key)) throw SqsErrors.invalidParameterValue(`Query parameter ${key} is given more than once.`);
    out.set(key, value);
  }
  return out;
}

export function queryInteger(params: Map<string, string>, key: string): number | undefined {
  const value = params.get(key);
  if (value === undefined) return undefined;
  if (!INTEGER.test(value)) throw SqsErrors.invalidParameter(key, value, "The value must be an integer.");
  return Number(value);
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function mapValues<T>(source: JsonObject, convert: (value: unknown, key: string) => T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, value] of Object.entries(source)) {
    // defineProperty, not assignment: a key named "__proto__" stays an ordinary entry.
    Object.defineProperty(out, key, { value: convert(value, key), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function absent(name: string, required: boolean): undefined {
  if (required) throw SqsErrors.missingParameter(name);
  return undefined;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function wrongType(path: string, value: unknown, expected: string) {
  const shown = typeof value === "object" ? JSON.stringify(value) : String(value);
  return SqsErrors.invalidParameter(path, shown, `The value must be ${expected}.`);
}
