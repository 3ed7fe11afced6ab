/**
 * Which `"$or"` keys of a policy are OR relationships. The developer guide ("AND/OR logic") says
 * SNS reads `"$or"` as the OR operator only when it is followed by an array of at least two objects
 * none of which has a reserved keyword as a field name; otherwise `"$or"` is an ordinary property
 * name. Reading the whole policy once also rejects text that is not JSON before any policy rule is
 * checked, as AWS does ("failed to parse JSON.").
 */
import { JsonReader, type Token } from "./json-reader.js";

/** Field names AWS's matcher keeps for operators (present and future), so none can name a property inside `$or`. */
export const RESERVED_NAMES = new Set([
  "exactly",
  "equals-ignore-case",
  "prefix",
  "suffix",
  "anything-but",
  "exists",
  "wildcard",
  "numeric",
  "cidr",
  "=",
  "<",
  "<=",
  ">",
  ">=",
  "regex",
  "not-wildcard",
  "not-equals-ignore-case",
  "date-after",
  "date-on-or-after",
  "date-before",
  "date-on-or-before",
  "in-date-range",
  "ip-address-in-range",
  "ip-address-not-in-range",
]);

type Shape = { kind: "object"; names: string[] } | { kind: "array"; items: Shape[] } | { kind: "scalar" };

/** The source offsets of the `"$or"` field names that are OR relationships. Throws JsonSyntaxError. */
export function findOrRelationships(source: string): Set<number> {
  const reader = new JsonReader(source);
  const found = new Set<number>();
  readShape(reader, reader.next(), found);
  return found;
}

function readShape(reader: JsonReader, token: Token, found: Set<number>): Shape {
  if (token === "{") {
    const names: string[] = [];
    while (reader.next() === "field") {
      const name = reader.text();
      const offset = reader.fieldOffset();
      names.push(name);
      const value = readShape(reader, reader.next(), found);
      if (name === "$or" && isOrRelationship(value)) found.add(offset);
    }
    return { kind: "object", names };
  }
  if (token === "[") {
    const items: Shape[] = [];
    for (let next = reader.next(); next !== "]"; next = reader.next()) items.push(readShape(reader, next, found));
    return { kind: "array", items };
  }
  return { kind: "scalar" };
}

function isOrRelationship(value: Shape): boolean {
  return (
    value.kind === "array" &&
    value.items.length >= 2 &&
    value.items.every((item) => item.kind === "object" && item.names.every((name) => !RESERVED_NAMES.has(name)))
  );
}
