/**
 * Checks a decoded request against the action's input shape and converts wire values to the
 * canonical ones (base64 blobs to bytes; for Query, text to numbers and booleans). Wrong
 * types and missing required members become SQS errors, never exceptions.
 */
import {
  INPUT_SHAPES,
  SqsErrors,
  type ActionName,
  type Member,
  type Shape,
  type SqsRequest,
} from "../../sdk/protocol/index.js";

export interface CheckOptions {
  /** Query carries every scalar as text: accept "5" for integers and "true" for booleans. */
  fromText: boolean;
}

export function checkInput(action: ActionName, raw: unknown, options: CheckOptions): SqsRequest {
  const input = checkStructure(INPUT_SHAPES[action], raw ?? {}, "", options);
  return { action, input } as SqsRequest;
}

function checkStructure(
  members: Record<string, Member>,
  raw: unknown,
  path: string,
  options: CheckOptions,
): Record<string, unknown> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw SqsErrors.invalidParameterValue(`The parameter ${path || "body"} must be an object.`);
  }
  const source = raw as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(members)) {
    const value = source[name];
    if (value === undefined || value === null) {
      if (member.required) throw SqsErrors.missingParameter(path + name);
      continue;
    }
    out[name] = checkValue(member.shape, value, path + name, options);
  }
  // Unknown members are tolerated, as AWS does for forward compatibility.
  return out;
}

function checkValue(shape: Shape, value: unknown, path: string, options: CheckOptions): unknown {
  switch (shape.type) {
    case "string":
      if (typeof value !== "string") throw wrongType(path, value, "a string");
      return value;
    case "integer": {
      const n = options.fromText && typeof value === "string" && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
      if (typeof n !== "number" || !Number.isInteger(n)) throw wrongType(path, value, "an integer");
      return n;
    }
    case "boolean": {
      const b = options.fromText && (value === "true" || value === "false") ? value === "true" : value;
      if (typeof b !== "boolean") throw wrongType(path, value, "a boolean");
      return b;
    }
    case "blob":
      if (typeof value !== "string") throw wrongType(path, value, "base64-encoded binary");
      return decodeBase64(value, path, options);
    case "list":
      if (!Array.isArray(value)) throw wrongType(path, value, "a list");
      return value.map((item, i) => checkValue(shape.member, item, `${path}.${i + 1}`, options));
    case "map": {
      if (typeof value !== "object" || Array.isArray(value)) throw wrongType(path, value, "a map");
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        // defineProperty, not assignment: a key named "__proto__" stays an ordinary entry.
        Object.defineProperty(out, key, {
          value: checkValue(shape.value, item, `${path}.${key}`, options),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    case "structure":
      return checkStructure(shape.members, value, `${path}.`, options);
  }
}

function wrongType(path: string, value: unknown, expected: string) {
  const shown = typeof value === "object" ? JSON.stringify(value) : String(value);
  return SqsErrors.invalidParameter(path, shown, `The value must be ${expected}.`);
}

/** Padded or unpadded standard base64; whitespace (line-wrapped encoders) is ignored. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

/**
 * A malformed blob is the client's fault: AWS JSON answers it as a serialization error; Query,
 * which has no such error, as an invalid parameter value. Checked before atob, which throws.
 */
function decodeBase64(text: string, path: string, options: CheckOptions): Uint8Array {
  const clean = text.replace(/\s+/g, "");
  if (!BASE64.test(clean)) {
    if (!options.fromText) throw SqsErrors.malformedInput(`The value of ${path} is not valid base64.`);
    throw SqsErrors.invalidParameter(path, text, "The value is not valid base64.");
  }
  return Uint8Array.from(atob(clean), (c) => c.charCodeAt(0));
}
