/**
 * Plain fetch against the REST API, the way a curl user would call it. Every answer is kept,
 * and `itMatchesTheOpenApiDocument()` (called last in each file) checks all of them against the
 * document the Worker serves.
 */
import { expect, it } from "vitest";
import { endpoint } from "../clients.js";
import { checkAnswer, type Json, type SeenAnswer } from "./openapi-schema.js";
import { signedFetch } from "../signed-fetch.js";

export interface Answer extends SeenAnswer {
  /** The body as JSON, for tests that read it (an empty body reads as undefined). */
  json: any;
  text: string;
}

const seen: SeenAnswer[] = [];

/**
 * Calls `path` (starting with `/v1`). An object body is sent as JSON; a string is sent as is,
 * so malformed bodies can be tested.
 */
export async function rest(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)["content-type"] ??= "application/json";
  }
  const response = await signedFetch(endpoint() + path, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = text.trim() === "" ? undefined : JSON.parse(text);
  } catch {
    json = text;
  }
  const answer: Answer = {
    method,
    path,
    status: response.status,
    contentType: response.headers.get("content-type"),
    headers: Object.fromEntries(response.headers),
    body: json,
    requestBody: typeof body === "string" ? undefined : body,
    json,
    text,
  };
  seen.push(answer);
  return answer;
}

/** Adds an answer obtained some other way (real curl) to those the OpenAPI check covers. */
export function record(answer: SeenAnswer): void {
  seen.push(answer);
}

/** Asserts an error answer: status, the `{"error": {"code", "message"}}` shape and the code. */
export function expectError(answer: Answer, status: number, code: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.contentType).toBe("application/json");
  expect(answer.json).toEqual({ error: { code, message: expect.any(String) } });
}

/** A queue path, with the name percent-encoded. */
export const queuePath = (name: string, rest = ""): string => `/v1/queues/${encodeURIComponent(name)}${rest}`;

/**
 * The last test of a file: every answer the file saw matches the served OpenAPI document, and
 * none was a 5xx (bad input is always the client's fault).
 */
export function itMatchesTheOpenApiDocument(): void {
  it("answered every call above as the OpenAPI document describes it, never with a 5xx", async () => {
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((answer) => answer.status >= 500)).toEqual([]);
    // Node's Response.json() is not generic; the body is the served OpenAPI document.
    const doc = (await (await fetch(`${endpoint()}/v1/openapi.json`)).json()) as Record<string, Json>;
    const problems = seen.flatMap((answer) => checkAnswer(doc, answer));
    expect(problems).toEqual([]);
  });
}
