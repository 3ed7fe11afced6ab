/**
 * The console's session: a cookie the Worker signs, naming the access key that signed in and
 * when the session ends. The signing key is derived (HMAC) from that access key's own secret in
 * SLUICE_CREDENTIALS, so no second secret needs managing, a deployment without SLUICE_CREDENTIALS
 * refuses sign-in as it refuses the API, and removing or rotating a key ends its sessions at once.
 * The CSRF token is a MAC of the session's random id under the same key: tied to this session.
 * Signing out records the session's id as ended in the account's registry object (app.tsx), so a
 * copy of the cookie is refused too, until it would have expired anyway.
 */
import type { Env } from "../worker/env.js";
import { loadKeys, type AccessKey } from "../worker/auth/credentials.js";

export const SESSION_COOKIE = "sluice_console";
/** A working day: long enough for an incident, short enough that a forgotten tab does not linger. */
export const SESSION_SECONDS = 8 * 60 * 60;

export interface Session {
  accessKeyId: string;
  accountId: string;
  /** Seconds since the epoch. */
  expires: number;
  /** Random per sign-in: the CSRF token is bound to it. */
  id: string;
}

interface SessionPayload {
  k: string;
  e: number;
  n: string;
}

const encoder = new TextEncoder();

/** The access key whose id and secret were typed in, or undefined (compared in constant time). */
export async function checkCredentials(env: Env, accessKeyId: string, secret: string): Promise<AccessKey | undefined> {
  const key = loadKeys(env).get(accessKeyId);
  // A missing key still costs one comparison, so timing tells nothing about which ids exist.
  const expected = key?.secretAccessKey ?? crypto.randomUUID();
  const equal = await sameBytes(encoder.encode(secret), encoder.encode(expected));
  return key && equal ? key : undefined;
}

export async function issueSession(key: AccessKey, now = Date.now()): Promise<{ cookie: string; session: Session }> {
  const payload: SessionPayload = { k: key.accessKeyId, e: Math.floor(now / 1000) + SESSION_SECONDS, n: crypto.randomUUID() };
  const body = base64url(encoder.encode(JSON.stringify(payload)));
  const mac = await sign(key, `session.${body}`);
  return {
    cookie: `${body}.${mac}`,
    session: { accessKeyId: key.accessKeyId, accountId: key.accountId, expires: payload.e, id: payload.n },
  };
}

/** The session a cookie value proves, or undefined when it is forged, expired or its key is gone. */
export async function readSession(env: Env, value: string | undefined, now = Date.now()): Promise<Session | undefined> {
  if (!value) return undefined;
  const [body, mac, extra] = value.split(".");
  if (!body || !mac || extra !== undefined) return undefined;
  let payload: SessionPayload;
  try {
    payload = JSON.parse(new TextDecoder().decode(fromBase64url(body))) as SessionPayload;
  } catch {
    return undefined;
  }
  if (typeof payload.k !== "string" || typeof payload.e !== "number" || typeof payload.n !== "string") return undefined;
  const key = loadKeys(env).get(payload.k);
  if (!key) return undefined;
  const expected = await sign(key, `session.${body}`);
  if (!(await sameBytes(encoder.encode(mac), encoder.encode(expected)))) return undefined;
  if (payload.e * 1000 <= now) return undefined;
  return { accessKeyId: key.accessKeyId, accountId: key.accountId, expires: payload.e, id: payload.n };
}

/** The token every state-changing form of this session carries. */
export async function csrfToken(env: Env, session: Session): Promise<string> {
  const key = loadKeys(env).get(session.accessKeyId);
  if (!key) throw new Error("the session's key is gone");
  return sign(key, `csrf.${session.id}`);
}

export async function csrfValid(env: Env, session: Session, token: unknown): Promise<boolean> {
  if (typeof token !== "string" || token === "") return false;
  return sameBytes(encoder.encode(token), encoder.encode(await csrfToken(env, session)));
}

async function sign(key: AccessKey, message: string): Promise<string> {
  const derived = await hmac(encoder.encode(key.secretAccessKey), "sluice console session key v1");
  return base64url(await hmac(derived, message));
}

async function hmac(secret: Uint8Array, message: string): Promise<Uint8Array> {
  const cryptoKey = await crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, encoder.encode(message)));
}

/** Equal by value in time independent of where they differ: both are hashed first. */
async function sameBytes(a: Uint8Array, b: Uint8Array): Promise<boolean> {
  const [x, y] = await Promise.all([crypto.subtle.digest("SHA-256", a), crypto.subtle.digest("SHA-256", b)]);
  const left = new Uint8Array(x);
  const right = new Uint8Array(y);
  let diff = 0;
  for (let i = 0; i < left.length; i++) diff |= left[i]! ^ right[i]!;
  return diff === 0;
}

function base64url(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}
