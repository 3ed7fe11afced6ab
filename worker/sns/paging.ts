/** NextToken for SNS's lists: the key to continue after, opaque to the client. */
import { SnsErrors } from "./errors.js";

/** SNS's page size for ListTopics, ListSubscriptions and ListSubscriptionsByTopic. */
export const PAGE_SIZE = 100;

export function encodeNextToken(after: string | undefined): string | undefined {
  if (after === undefined) return undefined;
  const bytes = new TextEncoder().encode(after);
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeNextToken(token: string | undefined): string | undefined {
  if (token === undefined || token === "") return undefined;
  try {
    const binary = atob(token.replace(/-/g, "+").replace(/_/g, "/"));
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    throw SnsErrors.invalidParameter("NextToken");
  }
}
