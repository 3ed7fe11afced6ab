/**
 * The OpenAPI document itself: served as written, complete (every route the Worker has, no
 * other), every reference resolving, only keywords the conformance checker understands, and
 * a checker that does reject what the document forbids.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { OPENAPI_DOCUMENT } from "../../../worker/protocol/openapi.js";
import { REST_ROUTES } from "../../../worker/protocol/rest.js";
import { TOPIC_REST_ROUTES } from "../../../worker/sns/rest-topic-routes.js";
import { endpoint } from "../clients.js";
import { checkAnswer, resolve, unsupportedKeywords, validate, validateQueryValue, type Json, type SeenAnswer } from "./openapi-schema.js";
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
    const served = [...[...REST_ROUTES, ...TOPIC_REST_ROUTES].map((r) => `${r.method} /v1${r.path}`), "GET /v1/openapi.json"];
    expect(served).toContain("POST /v1/topics/{name}/messages");
    expect(documented.sort()).toEqual(served.sort());
  });

  it("answers 405, with Allow naming the documented methods, for every other method on a documented path", async () => {
    for (const [template, item] of Object.entries(doc.paths as Record<string, Doc>)) {
      const path = template.replace("{name}", "no-such-queue").replace("{receiptHandle}", "AAAA").replace("{key}", "k").replace("{id}", "s");
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

  it("fails loudly on keyword forms it cannot read, such as type arrays, rather than skipping them", () => {
    expect(unsupportedKeywords({ type: ["string", "null"] })).toEqual(['$: type ["string","null"]']);
    expect(unsupportedKeywords({ properties: { a: { items: [{ type: "string" }] } } })).toEqual(['$.a: items [{"type":"string"}]']);
    expect(unsupportedKeywords({ type: "text" })).toEqual(['$: type "text"']);
    expect(unsupportedKeywords({ required: "a" })).toEqual(['$: required "a"']);
    // Even a value the construct would allow is not passed unchecked.
    expect(validate(doc, { type: ["string", "null"] }, "x")).toEqual(['unsupported keyword $: type ["string","null"]']);
    expect(validate(doc, { properties: { a: { type: ["integer"] } } }, { a: 1 })).toEqual(['unsupported keyword $.a: type ["integer"]']);
  });

  it("checks the query parameters of accepted requests against the operation's declarations", () => {
    const answer = (path: string, status = 200): SeenAnswer => ({
      method: "GET",
      path,
      status,
      contentType: "application/json",
      headers: {},
      body: status === 200 ? { messages: [] } : { error: { code: "InvalidParameterValue", message: "m" } },
    });
    const receive = "/v1/queues/q/messages";
    expect(checkAnswer(doc, answer(`${receive}?wait=20&max=10&visibility=0&attemptId=a`))).toEqual([]);
    expect(checkAnswer(doc, answer(`${receive}?waitTime=5`))).toEqual([
      `GET ${receive}?waitTime=5 -> 200: accepted query parameter waitTime, which the operation does not declare`,
    ]);
    expect(checkAnswer(doc, answer(`${receive}?max=11`))).toEqual([`GET ${receive}?max=11 -> 200: query parameter max $: 11 > 10`]);
    expect(checkAnswer(doc, answer(`${receive}?wait=soon`))).toEqual([
      `GET ${receive}?wait=soon -> 200: query parameter wait "soon" is not an integer`,
    ]);
    expect(checkAnswer(doc, answer(`${receive}?max=1&max=2`))).toEqual([`GET ${receive}?max=1&max=2 -> 200: accepted query parameter max 2 times`]);
    // prefix belongs to listQueues, not to receiving.
    expect(checkAnswer(doc, answer(`${receive}?prefix=a`))).toHaveLength(1);
    expect(checkAnswer(doc, { ...answer("/v1/queues?prefix=a&limit=2&cursor=c"), body: { queues: [] } })).toEqual([]);
    // Refusing what is not declared is right: those answers pass.
    expect(checkAnswer(doc, answer(`${receive}?waitTime=5`, 400))).toEqual([]);
    expect(checkAnswer(doc, answer(`${receive}?max=11`, 400))).toEqual([]);
    expect(validateQueryValue(doc, { type: ["integer", "null"] }, "1")).toEqual([
      'has schema type ["integer","null"], which the checker cannot read from a query string',
    ]);
  });

  it("declares every query parameter with a schema the checker can read from a query string", () => {
    for (const item of Object.values(doc.paths as Record<string, Record<string, Doc>>)) {
      for (const operation of Object.values(item)) {
        for (const entry of (operation.parameters ?? []) as Doc[]) {
          const parameter = (entry.$ref ? resolve(doc, entry.$ref as string) : entry) as Doc;
          if (parameter.in !== "query") continue;
          expect(Object.keys(parameter).every((k) => ["name", "in", "description", "required", "schema"].includes(k))).toBe(true);
          const probe = (parameter.schema as Doc).type === "integer" ? "1" : "a";
          expect(validateQueryValue(doc, parameter.schema!, probe), `${String(operation.operationId)} ${String(parameter.name)}`).toEqual([]);
        }
      }
    }
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
