/**
 * The OpenAPI document itself: served as written, complete (every route the Worker has, no
 * other), every reference resolving, only keywords the conformance checker understands, and
 * a checker that does reject what the document forbids.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { OPENAPI_DOCUMENT } from "../../../worker/protocol/openapi.js";
import { REST_ROUTES } from "../../../worker/protocol/rest.js";
import { endpoint } from "../clients.js";
import { resolve, unsupportedKeywords, validate, type Json } from "./openapi-schema.js";
import { itMatchesTheOpenApiDocument, rest } from "./rest-client.js";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

type Doc = Record<string, Json>;

/** Every `$ref` anywhere in the document. */
function refs(node: Json): string[] {
  if (Array.isArray(node)) return node.flatMap(refs);
  if (typeof node !== "object" || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => (key === "$ref" ? [String(value)] : refs(value)));
}

/** Every schema the document holds: components, parameters, bodies, responses. */
function schemas(doc: Doc): Json[] {
  const found: Json[] = [];
  const visit = (node: Json): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== "object" || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "schema") found.push(value);
      else visit(value);
    }
  };
  visit(doc.paths!);
  visit((doc.components as Doc).parameters!);
  visit((doc.components as Doc).responses!);
  found.push(...Object.values((doc.components as Doc).schemas as Doc));
  return found;
}

describe("OpenAPI document", () => {
  let doc: Doc;

  beforeAll(async () => {
    const answer = await fetch(`${endpoint()}/v1/openapi.json`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
    doc = await answer.json();
  });

  it("is served at GET /v1/openapi.json as written in worker/protocol/openapi.ts", () => {
    expect(doc).toEqual(JSON.parse(JSON.stringify(OPENAPI_DOCUMENT)));
    expect(doc.openapi).toBe("3.1.0");
  });

  it("documents exactly the routes the Worker serves", () => {
    const documented = Object.entries(doc.paths as Record<string, Doc>).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const served = [...REST_ROUTES.map((r) => `${r.method} /v1${r.path}`), "GET /v1/openapi.json"];
    expect(documented.sort()).toEqual(served.sort());
  });

  it("answers 405, with Allow naming the documented methods, for every other method on a documented path", async () => {
    for (const [template, item] of Object.entries(doc.paths as Record<string, Doc>)) {
      const path = template.replace("{name}", "no-such-queue").replace("{receiptHandle}", "AAAA").replace("{key}", "k");
      const allowed = Object.keys(item).map((m) => m.toUpperCase());
      for (const method of METHODS.filter((m) => !allowed.includes(m))) {
        const answer = await rest(method, path);
        expect(answer.status, `${method} ${path}`).toBe(405);
        expect(answer.headers.allow!.split(", ").sort()).toEqual([...allowed].sort());
      }
    }
  });

  it("resolves every $ref", () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(20);
    for (const ref of all) expect(() => resolve(doc, ref), ref).not.toThrow();
  });

  it("gives every operation an id, a summary and its responses, every path parameter declared", () => {
    const ids = new Set<string>();
    for (const [template, item] of Object.entries(doc.paths as Record<string, Record<string, Doc>>)) {
      for (const operation of Object.values(item)) {
        expect(operation.operationId).toEqual(expect.any(String));
        expect(ids.has(operation.operationId as string)).toBe(false);
        ids.add(operation.operationId as string);
        expect(operation.summary).toEqual(expect.any(String));
        expect(Object.keys(operation.responses as Doc).length).toBeGreaterThan(0);
        const declared = ((operation.parameters ?? []) as Doc[])
          .map((p) => (p.$ref ? (resolve(doc, p.$ref as string) as Doc) : p))
          .filter((p) => p.in === "path")
          .map((p) => p.name);
        const inTemplate = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        expect(declared.sort(), template).toEqual(inTemplate.sort());
      }
    }
  });

  it("uses only schema keywords the conformance checker checks", () => {
    const all = schemas(doc);
    expect(all.length).toBeGreaterThan(20);
    expect(all.flatMap((schema) => unsupportedKeywords(schema))).toEqual([]);
    expect(unsupportedKeywords({ properties: { a: { items: { format: "uuid" } } } })).toEqual(["$.a[]: format"]);
  });

  it("has a checker that rejects what the document forbids", () => {
    const queueList = { $ref: "#/components/schemas/QueueList" };
    expect(validate(doc, queueList, { queues: [{ name: "a", url: "u" }] })).toEqual([]);
    expect(validate(doc, queueList, { queues: [{ name: 1, url: "u" }] })).toEqual(["$.queues[0].name: expected string, got 1"]);
    expect(validate(doc, queueList, {})).toEqual(["$: missing queues"]);
    expect(validate(doc, queueList, { queues: [], more: true })).toEqual(["$: unexpected property more"]);
    const error = { $ref: "#/components/schemas/Error" };
    expect(validate(doc, error, { error: { code: "QueueDoesNotExist", message: "m" } })).toEqual([]);
    expect(validate(doc, error, { error: { code: "AWS.SimpleQueueService.NonExistentQueue", message: "m" } })).toHaveLength(1);
    const send = (doc.paths as any)["/v1/queues/{name}/messages"].post.requestBody.content["application/json"].schema;
    expect(validate(doc, send, { body: "x" })).toEqual([]);
    expect(validate(doc, send, { messages: [{ body: "x" }] })).toEqual([]);
    expect(validate(doc, send, { body: "x", messages: [] })).toEqual(["$: matches 0 of oneOf, not exactly 1"]);
    expect(validate(doc, send, { body: "x", delaySeconds: 901 })).not.toEqual([]);
    expect(validate(doc, send, { body: "x", attributes: { a: { type: "Text", value: "v" } } })).not.toEqual([]);
  });

  itMatchesTheOpenApiDocument();
});
