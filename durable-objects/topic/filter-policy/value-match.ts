/**
 * Whether one value (a string, number, boolean or null) matches one pattern. Types never mix: a
 * string pattern matches strings only, a number pattern numbers only (compared as numbers, so 5
 * matches 5.0), `prefix`, `suffix`, `equals-ignore-case` and `cidr` strings only; `anything-but`
 * matches every value that is not one it lists. `exists` is about the key, not a value (match.ts).
 */
import { inCidr } from "./cidr.js";
import type { MatchValue, NumericBound, Pattern } from "./types.js";

export function valueMatches(pattern: Pattern, value: MatchValue): boolean {
  switch (pattern.kind) {
    case "string":
      return value.type === "string" && value.value === pattern.value;
    case "number":
      return value.type === "number" && value.value !== undefined && value.value === pattern.value;
    case "literal":
      return pattern.value === null ? value.type === "null" : value.type === "boolean" && value.value === pattern.value;
    case "prefix":
      return value.type === "string" && value.value.startsWith(pattern.value);
    case "suffix":
      return value.type === "string" && value.value.endsWith(pattern.value);
    case "equals-ignore-case":
      return value.type === "string" && value.value.toLowerCase() === pattern.value.toLowerCase();
    case "anything-but":
      if (value.type === "string") return !pattern.strings.includes(value.value);
      if (value.type === "number") return value.value === undefined || !pattern.numbers.includes(value.value);
      return true;
    case "anything-but-prefix":
      return value.type !== "string" || !value.value.startsWith(pattern.value);
    case "numeric":
      return (
        value.type === "number" &&
        value.value !== undefined &&
        above(value.value, pattern.lower) &&
        below(value.value, pattern.upper)
      );
    case "cidr":
      return value.type === "string" && inCidr(value.value, pattern.range);
    case "exists":
      return false;
  }
}

function above(value: number, bound: NumericBound | undefined): boolean {
  return bound === undefined || (bound.open ? value > bound.value : value >= bound.value);
}

function below(value: number, bound: NumericBound | undefined): boolean {
  return bound === undefined || (bound.open ? value < bound.value : value <= bound.value);
}
