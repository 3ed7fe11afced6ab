/**
 * The console spoken to as a browser would, with fetch: a cookie jar of one cookie, forms posted
 * from the console's own origin unless a test says otherwise, and the CSRF token read off the page.
 */
import { createHmac } from "node:crypto";
import { endpoint } from "../clients.js";

export interface Key {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface Answer {
  status: number;
  location: string | null;
  setCookie: string | null;
  html: string;
}

async function answer(response: Response): Promise<Answer> {
  return {
    status: response.status,
    location: response.headers.get("location"),
    setCookie: response.headers.get("set-cookie"),
    html: await response.text(),
  };
}

export async function get(path: string, cookie?: string): Promise<Answer> {
  return answer(await fetch(`${endpoint()}${path}`, { redirect: "manual", headers: cookie ? { cookie } : {} }));
}

export async function post(
  path: string,
  form: Record<string, string>,
  { cookie, origin = endpoint() }: { cookie?: string; origin?: string | null } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (cookie) headers.cookie = cookie;
  if (origin !== null) headers.origin = origin;
  return answer(await fetch(`${endpoint()}${path}`, { method: "POST", redirect: "manual", headers, body: new URLSearchParams(form) }));
}

/** Signs in and returns the `name=value` pair a browser would send back. */
export async function signIn(key: Key): Promise<string> {
  const signed = await post("/console/sign-in", { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey });
  if (signed.status !== 303 || !signed.setCookie) throw new Error(`sign-in failed: ${signed.status} ${signed.html}`);
  return signed.setCookie.split(";")[0]!;
}

/** The CSRF token the page's forms carry. */
export function csrfOf(html: string): string {
  const match = /name="csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error("no CSRF token on the page");
  return match[1]!;
}

/** A console session signed by hand, as the Worker documents it (console/session.ts). */
export function handMadeCookie(key: Key, expiresSeconds: number, secret = key.secretAccessKey): string {
  const body = Buffer.from(JSON.stringify({ k: key.accessKeyId, e: expiresSeconds, n: crypto.randomUUID() })).toString("base64url");
  const derived = createHmac("sha256", secret).update("sluice console session key v1").digest();
  const mac = createHmac("sha256", derived).update(`session.${body}`).digest("base64url");
  return `sluice_console=${body}.${mac}`;
}

/** A page's visible text, roughly: tags dropped, whitespace collapsed, entities that matter decoded. */
export function textOf(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&")
    .replace(/\s+/g, " ");
}
