/**
 * A plain REST API under `/v1` for people who just have curl: queues and their
 * messages as resources, camelCase JSON bodies. Every route maps to the same canonical
 * `{action, input}` as JSON 1.0 and Query, so `dispatch` and the handlers never know REST
 * exists. openapi.ts generates the document's paths from REST_ROUTES; rest-format.ts shapes
 * answers.
 */
import {
  isFifoQueueName,
  isQueueName,
  MAX_LIST_QUEUES_RESULTS,
  SqsError,
  SqsErrors,
  type ActionName,
  type Results,
} from "../../sdk/protocol/index.js";
import type { RequestContext } from "../context.js";
import { MAX_PARTITIONS, PARTITION_TAG, partitionCount } from "../partitions.js";
import { queueUrl } from "../queue-url.js";
import { checkInput } from "./input-shape.js";
import {
  encodeRestError,
  restBatchResult,
  restMessage,
  restQueue,
  restResponse,
  restSendResult,
} from "./rest-format.js";
import {
  attributeMap,
  fields,
  integer,
  messageAttributes,
  parseBody,
  queryInteger,
  queryParams,
  string,
  stringMap,
  type JsonObject,
} from "./rest-input.js";
import { matchPath, pathSegments, REST_PREFIX } from "./rest-path.js";
import type { Wire } from "./wire.js";

export { isRestRequest } from "./rest-path.js";

export type RestMethod = "GET" | "POST" | "PATCH" | "DELETE";

const SEND_FIELDS = ["body", "attributes", "delaySeconds", "groupId", "deduplicationId"] as const;

/** What a route reads: path parameters, query string, body, and where its queue URLs point. */
export interface RestRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: JsonObject;
  origin: string;
  accountId: string;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * One REST route: the canonical request it builds and the answer it gives for the result.
 * REST_ROUTES below is the one list of them: openapi.ts generates the document's paths from it.
 */
export interface RestRoute<Id extends string = string> {
  /** Names the route's description in the OpenAPI document. */
  operationId: Id;
  method: RestMethod;
  /** Under `/v1`, with `{param}` segments. */
  path: string;
  decode(request: RestRequest): { action: ActionName; input: JsonObject };
  /**
   * What the answer needs besides the action's result, read after the action succeeded (so
   * after its authorisation): the queue resource's partition count is no SQS attribute.
   */
  lookup?(request: RestRequest, ctx: RequestContext): Promise<JsonObject>;
  encode(action: ActionName, result: unknown, request: RestRequest, looked: JsonObject): Reply;
}

/** A route that always runs one action. */
function route<Id extends string, A extends ActionName>(
  operationId: Id,
  method: RestMethod,
  path: string,
  action: A,
  input: (request: RestRequest) => JsonObject,
  encode: (result: Results[A], request: RestRequest) => Reply,
): RestRoute<Id> {
  return {
    operationId,
    method,
    path,
    decode: (request) => ({ action, input: input(request) }),
    encode: (_action, result, request) => encode(result as Results[A], request),
  };
}

const noContent = (): Reply => ({ status: 204 });

/** One message, `{"body": …}`, is SendMessage; `{"messages": [{"body": …}, …]}` is SendMessageBatch. */
const sendRoute: RestRoute<"sendMessages"> = {
  operationId: "sendMessages",
  method: "POST",
  path: "/queues/{name}/messages",
  decode: (r) =>
    "messages" in r.body
      ? { action: "SendMessageBatch", input: { ...queue(r), Entries: batchEntries(r.body) } }
      : { action: "SendMessage", input: { ...queue(r), ...sendEntry(r.body, "") } },
  encode: (action, result) => ({
    status: 200,
    body:
      action === "SendMessageBatch"
        ? restBatchResult(result as Results["SendMessageBatch"])
        : restSendResult(result as Results["SendMessage"]),
  }),
};

/**
 * A queue and its attributes, and how many partitions (queue objects) it spans: read fresh from
 * the account's registry, not this isolate's cache, so a raise made elsewhere shows at once.
 */
const getQueueRoute: RestRoute<"getQueue"> = {
  operationId: "getQueue",
  method: "GET",
  path: "/queues/{name}",
  decode: (r) => ({ action: "GetQueueAttributes", input: { ...queue(r), AttributeNames: ["All"] } }),
  lookup: async (r, ctx) => ({ partitions: await partitionCount(ctx, { accountId: r.accountId, name: r.params.name! }, true) }),
  encode: (_action, result, r, looked) => ({
    status: 200,
    body: {
      ...restQueue(queueUrlOf(r)),
      partitions: looked.partitions,
      attributes: (result as Results["GetQueueAttributes"]).Attributes ?? {},
    },
  }),
};

/** The OpenAPI document's own route, which worker/index.ts serves before these. */
export const OPENAPI_ROUTE = { operationId: "getOpenApiDocument", method: "GET", path: "/openapi.json" } as const;

/** Every REST route that runs an action, in the order requests are matched against them. */
export const REST_ROUTES = [
  route("listQueues", "GET", "/queues", "ListQueues", listQueuesInput, (result) => ({
    status: 200,
    body: {
      queues: (result.QueueUrls ?? []).map(restQueue),
      ...(result.NextToken !== undefined && { nextCursor: result.NextToken }),
    },
  })),
  route("createQueue", "POST", "/queues", "CreateQueue", createQueueInput, (result) => {
    const created = restQueue(result.QueueUrl);
    return { status: 201, body: created, headers: { location: `${REST_PREFIX}/queues/${created.name}` } };
  }),
  getQueueRoute,
  route(
    "updateQueue",
    "PATCH",
    "/queues/{name}",
    "SetQueueAttributes",
    (r) => ({ ...queue(r), Attributes: attributeMap(fields(r.body, "", ["attributes"]), "attributes", "", true) }),
    noContent,
  ),
  route("deleteQueue", "DELETE", "/queues/{name}", "DeleteQueue", queue, noContent),
  route("purgeQueue", "POST", "/queues/{name}/purge", "PurgeQueue", queue, noContent),
  route("listQueueTags", "GET", "/queues/{name}/tags", "ListQueueTags", queue, (result) => ({
    status: 200,
    body: { tags: result.Tags ?? {} },
  })),
  route(
    "tagQueue",
    "PATCH",
    "/queues/{name}/tags",
    "TagQueue",
    (r) => ({ ...queue(r), Tags: stringMap(fields(r.body, "", ["tags"]), "tags", "") ?? absent("tags") }),
    noContent,
  ),
  route("untagQueue", "DELETE", "/queues/{name}/tags/{key}", "UntagQueue", (r) => ({ ...queue(r), TagKeys: [r.params.key] }), noContent),
  sendRoute,
  route("receiveMessages", "GET", "/queues/{name}/messages", "ReceiveMessage", receiveInput, (result) => ({
    status: 200,
    body: { messages: (result.Messages ?? []).map(restMessage) },
  })),
  route(
    "deleteMessage",
    "DELETE",
    "/queues/{name}/messages/{receiptHandle}",
    "DeleteMessage",
    (r) => ({ ...queue(r), ReceiptHandle: r.params.receiptHandle }),
    noContent,
  ),
  route(
    "changeMessageVisibility",
    "PATCH",
    "/queues/{name}/messages/{receiptHandle}",
    "ChangeMessageVisibility",
    (r) => ({
      ...queue(r),
      ReceiptHandle: r.params.receiptHandle,
      VisibilityTimeout: integer(fields(r.body, "", ["visibilityTimeout"]), "visibilityTimeout", "", true),
    }),
    noContent,
  ),
] as const satisfies readonly RestRoute[];

/** The operationId of every route, the document's own included. */
export type RestOperationId = (typeof REST_ROUTES)[number]["operationId"] | typeof OPENAPI_ROUTE.operationId;

/** Every path with its methods; the document's path is served elsewhere, but other methods on it are 405, not 404. */
const KNOWN_PATHS: { path: string; method: RestMethod; route?: RestRoute }[] = [
  ...REST_ROUTES.map((route) => ({ path: route.path, method: route.method, route })),
  { path: OPENAPI_ROUTE.path, method: OPENAPI_ROUTE.method },
];

/**
 * The wire for one REST request: `decode` finds the route, and `result` answers with that
 * route's status and body (a wire per request, since the answer depends on the route, not only
 * on the action).
 */
export function createRestWire(): Wire {
  let matched: { route: RestRoute; request: RestRequest; looked: JsonObject } | undefined;
  let allow: string | undefined;
  return {
    decode(request, body, caller) {
      const url = new URL(request.url);
      const candidates = routesAt(url.pathname);
      if (candidates.length === 0) throw notFound(request.method, url.pathname);
      const hit = candidates.find((candidate) => candidate.method === request.method);
      if (!hit?.route) {
        allow = allowOf(candidates);
        throw methodNotAllowed(request.method, url.pathname, allow);
      }
      const rest: RestRequest = {
        params: hit.params,
        query: url.searchParams,
        body: request.method === "POST" || request.method === "PATCH" ? parseBody(body) : {},
        origin: url.origin,
        accountId: caller.accountId,
      };
      matched = { route: hit.route, request: rest, looked: {} };
      const { action, input } = hit.route.decode(rest);
      return checkInput(action, input, { fromText: false });
    },
    async complete(ctx) {
      if (matched?.route.lookup) matched.looked = await matched.route.lookup(matched.request, ctx);
    },
    result(action, result, requestId) {
      const reply = matched!.route.encode(action, result, matched!.request, matched!.looked);
      return restResponse(reply.status, reply.body, requestId, reply.headers);
    },
    error(error, requestId) {
      return encodeRestError(error, requestId, allow ? { allow } : undefined);
    },
  };
}

/** The known paths matching `pathname`, with their parameters. */
function routesAt(pathname: string) {
  const segments = pathSegments(pathname);
  return KNOWN_PATHS.flatMap((known) => {
    const params = matchPath(known.path, segments);
    return params ? [{ ...known, params }] : [];
  });
}

const allowOf = (candidates: { method: RestMethod }[]): string =>
  [...new Set(candidates.map((candidate) => candidate.method))].join(", ");

/**
 * A method no REST route takes at all (TRACE, say, which npm start's front refuses before the
 * Worker sees it), answered as the Worker answers any other: 405 with the path's Allow, or 404
 * for a path with no route.
 */
export function restMethodRefusal(method: string, pathname: string): { error: SqsError; allow?: string } {
  const candidates = routesAt(pathname);
  if (candidates.length === 0) return { error: notFound(method, pathname) };
  const allow = allowOf(candidates);
  return { error: methodNotAllowed(method, pathname, allow), allow };
}

function listQueuesInput(r: RestRequest): JsonObject {
  const params = queryParams(r.query, ["prefix", "limit", "cursor"]);
  // Always paged: without a limit, pages of the most ListQueues allows.
  return {
    QueueNamePrefix: params.get("prefix"),
    MaxResults: queryInteger(params, "limit") ?? MAX_LIST_QUEUES_RESULTS,
    NextToken: params.get("cursor"),
  };
}

function createQueueInput(r: RestRequest): JsonObject {
  const body = fields(r.body, "", ["name", "attributes", "tags", "partitions"]);
  const name = string(body, "name", "", true);
  const attributes = attributeMap(body, "attributes", "");
  // A name ending in .fifo is a FIFO queue; SQS wants FifoQueue said as well, REST infers it.
  const fifo = isFifoQueueName(name) && attributes?.FifoQueue === undefined ? { FifoQueue: "true" } : {};
  return { QueueName: name, Attributes: { ...attributes, ...fifo }, tags: withPartitions(stringMap(body, "tags", ""), body) };
}

/**
 * `partitions` is the partition tag said as a field: the create action checks and applies the
 * tag. Checked here as well, so an error names the field the request used.
 */
function withPartitions(tags: Record<string, string> | undefined, body: JsonObject): Record<string, string> | undefined {
  const partitions = integer(body, "partitions", "");
  if (partitions === undefined) return tags;
  if (partitions < 1 || partitions > MAX_PARTITIONS) {
    throw SqsErrors.invalidParameterValue(`partitions must be a whole number from 1 to ${MAX_PARTITIONS}; got ${partitions}.`);
  }
  const tagged = tags?.[PARTITION_TAG];
  if (tagged !== undefined && tagged !== String(partitions)) {
    throw SqsErrors.invalidParameterValue(`partitions is ${partitions} but tags.${PARTITION_TAG} is "${tagged}": give one of them.`);
  }
  return { ...tags, [PARTITION_TAG]: String(partitions) };
}

function receiveInput(r: RestRequest): JsonObject {
  const params = queryParams(r.query, ["wait", "max", "visibility", "attemptId"]);
  return {
    QueueUrl: queueUrlOf(r),
    WaitTimeSeconds: queryInteger(params, "wait"),
    MaxNumberOfMessages: queryInteger(params, "max"),
    VisibilityTimeout: queryInteger(params, "visibility"),
    ReceiveRequestAttemptId: params.get("attemptId"),
    // REST shows every message attribute and every system attribute.
    MessageSystemAttributeNames: ["All"],
    MessageAttributeNames: ["All"],
  };
}

/** `{messages: [...]}` to SendMessageBatch entries named "0".."n-1" by position. */
function batchEntries(source: JsonObject): JsonObject[] {
  const body = fields(source, "", ["messages"]);
  const messages = body.messages;
  if (!Array.isArray(messages)) throw SqsErrors.invalidParameter("messages", JSON.stringify(messages), "The value must be a list.");
  return messages.map((message, i) => ({ Id: String(i), ...sendEntry(message, `messages[${i}]`) }));
}

function sendEntry(source: unknown, path: string): JsonObject {
  const message = fields(source, path, SEND_FIELDS);
  return {
    MessageBody: string(message, "body", path, true),
    MessageAttributes: messageAttributes(message, "attributes", path),
    DelaySeconds: integer(message, "delaySeconds", path),
    MessageGroupId: string(message, "groupId", path),
    MessageDeduplicationId: string(message, "deduplicationId", path),
  };
}

/** The queue in the path as SQS input, for routes that take no query parameters. */
function queue(r: RestRequest): { QueueUrl: string } {
  queryParams(r.query, []);
  return { QueueUrl: queueUrlOf(r) };
}

function queueUrlOf(r: RestRequest): string {
  const name = r.params.name!;
  // A name no queue can have is a queue that does not exist.
  if (!isQueueName(name)) throw SqsErrors.queueDoesNotExist();
  return queueUrl({ origin: r.origin }, { accountId: r.accountId, name });
}

function absent(name: string): never {
  throw SqsErrors.missingParameter(name);
}

function notFound(method: string, path: string): SqsError {
  return new SqsError("NotFound", `No route for ${method} ${path}. The API is described at GET ${REST_PREFIX}/openapi.json.`);
}

function methodNotAllowed(method: string, path: string, allow: string): SqsError {
  return new SqsError("MethodNotAllowed", `${method} is not allowed on ${path}. Allowed: ${allow}.`);
}
