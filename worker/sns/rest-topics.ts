/**
 * Topics in the REST API, for people who just have curl: `/v1/topics` routes, camelCase JSON.
 * Each route becomes the SNS action's own parameters, so the same handlers run as for SNS
 * clients; answers are the handler's results in JSON. The routes:
 *
 *   GET    /v1/topics                                  ListTopics (?nextToken=)
 *   POST   /v1/topics                                  CreateTopic {name, attributes?, tags?}
 *   GET    /v1/topics/{name}                           GetTopicAttributes
 *   PATCH  /v1/topics/{name}                           SetTopicAttributes, one call per attribute {attributes}
 *   DELETE /v1/topics/{name}                           DeleteTopic
 *   POST   /v1/topics/{name}/messages                  Publish {message, subject?, attributes?, groupId?, deduplicationId?}
 *   GET    /v1/topics/{name}/subscriptions             ListSubscriptionsByTopic (?nextToken=)
 *   POST   /v1/topics/{name}/subscriptions             Subscribe {protocol, endpoint, attributes?}
 *   DELETE /v1/topics/{name}/subscriptions/{id}        Unsubscribe
 */
import { SqsError } from "../../sdk/protocol/index.js";
import type { RequestContext } from "../context.js";
import type { FormParams } from "../protocol/form.js";
import { encodeRestError, restResponse } from "../protocol/rest-format.js";
import { parseBody, type JsonObject } from "../protocol/rest-input.js";
import { matchPath, pathSegments } from "../protocol/rest-path.js";
import { topicArn } from "./arns.js";
import { TOPIC_REST_ROUTES, type TopicOperationId } from "./rest-topic-routes.js";
import { dispatchSns } from "./dispatch.js";
import { SnsParams } from "./params.js";
import { EntryMap, type XmlValue } from "./xml.js";

export const TOPICS_PREFIX = "/v1/topics";

export function isTopicsRestRequest(url: URL): boolean {
  return url.pathname === TOPICS_PREFIX || url.pathname.startsWith(`${TOPICS_PREFIX}/`);
}

interface TopicRoute {
  status: number;
  run(params: Record<string, string>, body: JsonObject, query: URLSearchParams, ctx: RequestContext): Promise<unknown>;
}

const invalid = (message: string) => new SqsError("InvalidParameter", message);

function text(body: JsonObject, name: string, required: boolean): string | undefined {
  const value = body[name];
  if (value === undefined) {
    if (required) throw invalid(`The request body must contain "${name}".`);
    return undefined;
  }
  if (typeof value !== "string") throw invalid(`"${name}" must be a string.`);
  return value;
}

function stringMap(body: JsonObject, name: string): Record<string, string> {
  const value = body[name];
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value) || Object.values(value).some((v) => typeof v !== "string")) {
    throw invalid(`"${name}" must be an object of strings.`);
  }
  return value as Record<string, string>;
}

/** SNS's encodings of a map and a tag list, as an SNS client would send them. */
function putEntries(form: FormParams, name: string, map: Record<string, string>): void {
  Object.entries(map).forEach(([k, v], i) => (form.set(`${name}.entry.${i + 1}.key`, k), form.set(`${name}.entry.${i + 1}.value`, v)));
}

function putTags(form: FormParams, tags: Record<string, string>): void {
  Object.entries(tags).forEach(([k, v], i) => (form.set(`Tags.member.${i + 1}.Key`, k), form.set(`Tags.member.${i + 1}.Value`, v)));
}

function putMessageAttributes(form: FormParams, body: JsonObject): void {
  const value = body.attributes;
  if (value === undefined) return;
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalid('"attributes" must be an object.');
  Object.entries(value).forEach(([name, attribute], i) => {
    const prefix = `MessageAttributes.entry.${i + 1}`;
    form.set(`${prefix}.Name`, name);
    // A plain string is a String attribute; {dataType, stringValue | binaryValue (base64)} is any.
    if (typeof attribute === "string") {
      form.set(`${prefix}.Value.DataType`, "String");
      form.set(`${prefix}.Value.StringValue`, attribute);
      return;
    }
    const a = attribute as { dataType?: unknown; stringValue?: unknown; binaryValue?: unknown };
    if (typeof a !== "object" || a === null || typeof a.dataType !== "string") throw invalid(`"attributes.${name}" needs a dataType.`);
    form.set(`${prefix}.Value.DataType`, a.dataType);
    if (typeof a.stringValue === "string") form.set(`${prefix}.Value.StringValue`, a.stringValue);
    if (typeof a.binaryValue === "string") form.set(`${prefix}.Value.BinaryValue`, a.binaryValue);
  });
}

function arnOf(ctx: RequestContext, name: string): string {
  return topicArn({ region: ctx.region, accountId: ctx.accountId, name });
}

async function call(action: string, form: FormParams, ctx: RequestContext): Promise<unknown> {
  return json(await dispatchSns(action, new SnsParams(form), ctx));
}

/** A handler's result as camelCase JSON. */
function json(value: XmlValue | Record<string, XmlValue | undefined> | undefined): unknown {
  if (value === undefined) return undefined;
  if (value instanceof EntryMap) return { ...value.entries };
  if (Array.isArray(value)) return value.map(json);
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k.charAt(0).toLowerCase() + k.slice(1)] = json(v);
    return out;
  }
  return value;
}

const ROUTES: Record<TopicOperationId, TopicRoute> = {
  listTopics: {
    status: 200,
    run: (_p, _b, query, ctx) => call("ListTopics", new Map(query.has("nextToken") ? [["NextToken", query.get("nextToken")!]] : []), ctx),
  },
  createTopic: {
    status: 201,
    run: (_p, body, _q, ctx) => {
      const form: FormParams = new Map([["Name", text(body, "name", true)!]]);
      putEntries(form, "Attributes", stringMap(body, "attributes"));
      putTags(form, stringMap(body, "tags"));
      return call("CreateTopic", form, ctx);
    },
  },
  getTopic: {
    status: 200,
    run: async (p, _b, _q, ctx) => call("GetTopicAttributes", new Map([["TopicArn", arnOf(ctx, p.name!)]]), ctx),
  },
  updateTopic: {
    status: 204,
    run: async (p, body, _q, ctx) => {
      for (const [name, value] of Object.entries(stringMap(body, "attributes"))) {
        await call("SetTopicAttributes", new Map([["TopicArn", arnOf(ctx, p.name!)], ["AttributeName", name], ["AttributeValue", value]]), ctx);
      }
      return undefined;
    },
  },
  deleteTopic: {
    status: 204,
    run: (p, _b, _q, ctx) => call("DeleteTopic", new Map([["TopicArn", arnOf(ctx, p.name!)]]), ctx),
  },
  publish: {
    status: 200,
    run: (p, body, _q, ctx) => {
      const form: FormParams = new Map([["TopicArn", arnOf(ctx, p.name!)], ["Message", text(body, "message", true)!]]);
      for (const [field, param] of [["subject", "Subject"], ["groupId", "MessageGroupId"], ["deduplicationId", "MessageDeduplicationId"]] as const) {
        const value = text(body, field, false);
        if (value !== undefined) form.set(param, value);
      }
      putMessageAttributes(form, body);
      return call("Publish", form, ctx);
    },
  },
  listSubscriptions: {
    status: 200,
    run: (p, _b, query, ctx) => {
      const form: FormParams = new Map([["TopicArn", arnOf(ctx, p.name!)]]);
      if (query.has("nextToken")) form.set("NextToken", query.get("nextToken")!);
      return call("ListSubscriptionsByTopic", form, ctx);
    },
  },
  subscribe: {
    status: 201,
    run: (p, body, _q, ctx) => {
      const form: FormParams = new Map([
        ["TopicArn", arnOf(ctx, p.name!)],
        ["Protocol", text(body, "protocol", true)!],
        ["Endpoint", text(body, "endpoint", true)!],
        ["ReturnSubscriptionArn", "true"],
      ]);
      putEntries(form, "Attributes", stringMap(body, "attributes"));
      return call("Subscribe", form, ctx);
    },
  },
  unsubscribe: {
    status: 204,
    run: (p, _b, _q, ctx) => call("Unsubscribe", new Map([["SubscriptionArn", `${arnOf(ctx, p.name!)}:${p.id!}`]]), ctx),
  },
};

export async function serveTopicsRest(request: Request, body: string, ctx: RequestContext): Promise<Response> {
  const url = new URL(request.url);
  const segments = pathSegments(url.pathname);
  const matching = TOPIC_REST_ROUTES.map((route) => ({ route, params: matchPath(route.path, segments) })).filter((m) => m.params !== undefined);
  if (matching.length === 0) throw new SqsError("ResourceNotFound", `No topics route matches ${url.pathname}.`);
  const found = matching.find((m) => m.route.method === request.method);
  if (!found) {
    // As the queue routes answer it: 405 with the path's Allow.
    const allow = [...new Set(matching.map((m) => m.route.method))].join(", ");
    const error = new SqsError("MethodNotAllowed", `${request.method} is not allowed on ${url.pathname}. Allowed: ${allow}.`);
    return encodeRestError(error, ctx.requestId, { allow });
  }
  const route = ROUTES[found.route.operationId];
  const result = await route.run(found.params!, parseBody(body), url.searchParams, ctx);
  return restResponse(result === undefined ? 204 : route.status, result, ctx.requestId);
}
