/**
 * The Query protocol's requests: `Action=<Op>&Version=2012-11-05&…` in a
 * form-encoded POST body or a GET query string, sent to `/` or to a queue URL path
 * `/<account>/<queue>`. Decodes to the same canonical request as JSON 1.0.
 */
import { INPUT_SHAPES, isActionName, QUEUE_NAME_SOURCE, SqsErrors, type SqsRequest } from "../../sdk/protocol/index.js";
import { parseForm, type FormParams } from "./form.js";
import { checkInput } from "./input-shape.js";
import { unflatten } from "./unflatten.js";

const API_VERSION = "2012-11-05";

/** A queue URL's path; Java v1, JS v2 and .NET post there instead of `/`. */
const QUEUE_PATH = new RegExp(`^/\\d{12}/(?:${QUEUE_NAME_SOURCE})/?$`);

const NOT_AT_QUEUE_URL = new Set(["CreateQueue", "ListQueues"]);

/**
 * Other spellings some clients use. `MessageSystemAttributeNames` came after the Query era;
 * JS v3 schemas call it `AttributeName` (read as `AttributeNames`, which the receive handler
 * treats alike), and hand-written requests may use either of these.
 */
const ALIASES: Record<string, string> = {
  "MessageSystemAttributeNames.": "MessageSystemAttributeName.",
};

/** Query when the body is a form, or the method carries no body (GET); never for JSON requests. */
function hasFormBody(request: Request): boolean {
  const type = request.headers.get("content-type") ?? "";
  return type === "" || /^application\/x-www-form-urlencoded\b/i.test(type);
}

/** The request's parameters: its query string, then its form body (body values win). */
export function queryParams(request: Request, body: string): FormParams {
  const params = parseForm(new URL(request.url).search.slice(1));
  if (body !== "" && hasFormBody(request)) parseForm(body, params);
  return params;
}

export function decodeQuery(request: Request, body: string): SqsRequest {
  const params = queryParams(request, body);
  const atQueueUrl = QUEUE_PATH.test(new URL(request.url).pathname);
  const action = params.get("Action");
  if (action === undefined || action === "") {
    throw atQueueUrl ? SqsErrors.noActionAtQueueUrl() : SqsErrors.missingAction();
  }
  const version = params.get("Version");
  if (version !== undefined && version !== API_VERSION) throw SqsErrors.noSuchVersion(version);
  if (!isActionName(action)) throw SqsErrors.invalidAction(action);
  // A queue URL is no endpoint for the account's queue list (AWS, as LocalStack's validated tests record it).
  if (atQueueUrl && NOT_AT_QUEUE_URL.has(action)) throw SqsErrors.invalidAction(action);

  const raw = unflatten(INPUT_SHAPES[action], withAliases(params));
  // Clients that post to the queue URL may leave QueueUrl out; a QueueUrl parameter wins.
  if ("QueueUrl" in INPUT_SHAPES[action] && raw.QueueUrl === undefined) {
    const url = new URL(request.url);
    if (QUEUE_PATH.test(url.pathname)) raw.QueueUrl = url.origin + url.pathname.replace(/\/$/, "");
  }
  return checkInput(action, raw, { fromText: true });
}

function withAliases(params: FormParams): FormParams {
  const out: FormParams = new Map();
  for (const [name, value] of params) {
    const alias = Object.keys(ALIASES).find((prefix) => name.startsWith(prefix));
    const canonical = alias ? ALIASES[alias] + name.slice(alias.length) : name;
    // The canonical spelling wins when a request carries both.
    if (!alias || !params.has(canonical)) out.set(canonical, value);
  }
  return out;
}
