/** Paths under `/v1`: which requests are REST, and matching a path against a route's template. */
import { SqsErrors } from "../../sdk/protocol/index.js";

export const REST_PREFIX = "/v1";

/** REST is every path under `/v1`, whatever the headers say. */
export function isRestRequest(request: Request): boolean {
  const path = new URL(request.url).pathname;
  return path === REST_PREFIX || path.startsWith(`${REST_PREFIX}/`);
}

/** Path segments after `/v1`, percent-decoded one by one (an encoded `/` stays inside its segment). */
export function pathSegments(pathname: string): string[] {
  const parts = pathname.slice(REST_PREFIX.length).replace(/\/$/, "").split("/").slice(1);
  return parts.map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw SqsErrors.invalidParameterValue(`The path segment ${part} is not valid percent-encoding.`);
    }
  });
}

/** A template's `{param}` values in `segments`, or undefined when the path is not this template. */
export function matchPath(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = pattern.split("/").slice(1);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    const segment = segments[i]!;
    if (part.startsWith("{")) {
      if (segment === "") return undefined;
      params[part.slice(1, -1)] = segment;
    } else if (part !== segment) return undefined;
  }
  return params;
}
