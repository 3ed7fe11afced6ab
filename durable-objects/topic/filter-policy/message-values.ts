/**
 * A published message as the matcher sees it. In MessageAttributes scope each attribute is its
 * typed value: a String is a string, a Number a number, a String.Array each element of its JSON
 * array, and a Binary is present but has no value any pattern but `exists` can match. In
 * MessageBody scope the body (a JSON object, or nothing matches) is flattened into leaves named by
 * their path ("a.b.c", so a nested key and a dotted key name the same leaf), an array's elements
 * each being a leaf of the array's path; a leaf remembers which element of which array it came from.
 */
import { comparable, comparableText } from "./numbers.js";
import type { FilterMessageAttribute, MatchValue } from "./types.js";

/** An attribute's values; `array` for a String.Array, whose elements anything-but tests together. */
export interface AttributeValues {
  values: MatchValue[];
  array: boolean;
}

export function attributeValues(attribute: FilterMessageAttribute): AttributeValues {
  const type = attribute.DataType;
  const text = attribute.StringValue ?? "";
  if (type === "String.Array") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { values: [], array: true };
    }
    const elements = Array.isArray(parsed) ? parsed : [];
    return { values: elements.flatMap((element) => scalarValue(element) ?? []), array: true };
  }
  // Custom types ("String.email", "Number.float") keep their base type.
  if (type === "String" || type.startsWith("String.")) return { values: [{ type: "string", value: text }], array: false };
  if (type === "Number" || type.startsWith("Number.")) {
    return { values: [{ type: "number", value: comparableText(text) }], array: false };
  }
  return { values: [], array: false };
}

/** A body leaf: its value and, for each enclosing array, [array id, element index]. */
export interface Leaf {
  value: MatchValue;
  trail: [number, number][];
}

/**
 * The leaves of a body at the given paths (and nothing else, so a large body costs only what the
 * policy looks at), or undefined when the body is not a JSON object.
 */
export function bodyLeaves(body: string, paths: string[]): Map<string, Leaf[]> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return undefined;
  const leaves = new Map<string, Leaf[]>();
  const wanted = (path: string) => paths.some((p) => p === path || p.startsWith(`${path}.`));
  let arrays = 0;
  const walk = (node: unknown, path: string, trail: [number, number][]): void => {
    if (Array.isArray(node)) {
      const id = arrays++;
      node.forEach((element, index) => walk(element, path, [...trail, [id, index]]));
    } else if (node !== null && typeof node === "object") {
      for (const [key, child] of Object.entries(node)) {
        const childPath = path === "" ? key : `${path}.${key}`;
        if (wanted(childPath)) walk(child, childPath, trail);
      }
    } else {
      const value = scalarValue(node);
      if (!value || !paths.includes(path)) return;
      const found = leaves.get(path);
      if (found) found.push({ value, trail });
      else leaves.set(path, [{ value, trail }]);
    }
  };
  walk(parsed, "", []);
  return leaves;
}

function scalarValue(value: unknown): MatchValue | undefined {
  if (typeof value === "string") return { type: "string", value };
  if (typeof value === "number") return { type: "number", value: comparable(value) };
  if (typeof value === "boolean") return { type: "boolean", value };
  if (value === null) return { type: "null" };
  return undefined;
}
