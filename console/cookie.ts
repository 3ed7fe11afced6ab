/**
 * The session cookie on the wire: HttpOnly, SameSite=Strict, scoped to /console, expiring with
 * the session. Secure everywhere but plain-http loopback (npm start, npm run dev), where there is
 * no TLS and browsers would otherwise never send it back; sign-in over plain http elsewhere is
 * refused (sign-in.ts), so a deployed session never travels unencrypted.
 */
import { SESSION_COOKIE } from "./session.js";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function isPlainLoopback(url: URL): boolean {
  return url.protocol === "http:" && LOOPBACK.has(url.hostname);
}

export function sessionCookie(url: URL, value: string, maxAgeSeconds: number): string {
  const secure = isPlainLoopback(url) ? "" : "; Secure";
  return `${SESSION_COOKIE}=${value}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

export function clearedCookie(url: URL): string {
  return sessionCookie(url, "", 0);
}

/** The session cookie's value in a Cookie header, if any. */
export function readCookie(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === SESSION_COOKIE) return rest.join("=");
  }
  return undefined;
}
