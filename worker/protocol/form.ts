/**
 * `application/x-www-form-urlencoded` text (a POST body or a GET query string) to parameters.
 * Stricter than URLSearchParams, which silently keeps a broken escape like `%ZZ` as text: a
 * Query request whose encoding does not parse is answered with `MalformedQueryString`.
 */
import { SqsErrors } from "../../sdk/protocol/index.js";

/** Parameter name -> value. A name given twice keeps its last value. */
export type FormParams = Map<string, string>;

/** Parses `a=1&b=x%20y` into `params` (added to, so a query string and a body can be merged). */
export function parseForm(text: string, params: FormParams = new Map()): FormParams {
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? "" : decodeComponent(pair.slice(eq + 1));
    params.set(name, value);
  }
  return params;
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    // A `%` not followed by two hex digits, or escapes that are not UTF-8.
    throw SqsErrors.malformedInput(`The query string contains a syntax error near "${preview(text)}".`);
  }
}

function preview(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
