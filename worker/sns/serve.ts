/**
 * The SNS side of the endpoint: a request whose SigV4 credential scope names service `sns`
 * (read before anything else, so even its signature errors are answered in SNS's form) is an
 * SNS Query request — `Action=<Op>&Version=2010-03-31&…` as a form body or a query string — and
 * gets SNS's XML back. Authentication is the SQS side's, unchanged: same keys, same accounts.
 */
import { SqsError } from "../../sdk/protocol/index.js";
import type { RequestContext } from "../context.js";
import { queryParams } from "../protocol/query.js";
import { parseTopicArn } from "./arns.js";
import { dispatchSns } from "./dispatch.js";
import { SnsParams } from "./params.js";
import { encodeSnsResult } from "./xml.js";

export { encodeSnsError } from "./xml.js";

const API_VERSION = "2010-03-31";
const SNS_SCOPE = /\/\d{8}\/[^/]+\/sns\/aws4_request/;

/** Whether the request is signed for `sns`: its Authorization header's or presigned URL's credential scope says so. */
export function signedForSns(request: Request, url: URL): boolean {
  const credential = request.headers.get("authorization") ?? url.searchParams.get("X-Amz-Credential") ?? "";
  return SNS_SCOPE.test(credential);
}

/** The action's name, for the failure log, once the parameters are read. */
export interface SnsRequestFacts {
  action?: string;
}

/**
 * The SubscribeURL a SubscriptionConfirmation carries: a plain GET of
 * `/?Action=ConfirmSubscription&TopicArn=…&Token=…`, unsigned, as SNS serves it — the token, 256
 * random bits the topic sent only to the endpoint, is the proof. Nothing else is served unsigned.
 */
export function isSubscribeUrl(request: Request, url: URL): boolean {
  const params = url.searchParams;
  return (
    request.method === "GET" &&
    !request.headers.has("authorization") &&
    !params.has("X-Amz-Credential") &&
    !params.has("X-Amz-Signature") &&
    params.get("Action") === "ConfirmSubscription" &&
    params.has("TopicArn") &&
    params.has("Token")
  );
}

/** The topic's account and region, from the TopicArn the SubscribeURL names. */
export function subscribeUrlCaller(url: URL): { accountId: string; region: string } {
  const ref = parseTopicArn(url.searchParams.get("TopicArn") ?? "");
  return { accountId: ref.accountId, region: ref.region };
}

/** `only`: the one action served (an unsigned SubscribeURL may confirm and do nothing else). */
export async function serveSns(request: Request, body: string, ctx: RequestContext, facts: SnsRequestFacts, only?: string): Promise<Response> {
  const params = queryParams(request, body);
  const action = params.get("Action");
  if (action === undefined || action === "") throw new SqsError("MissingAction", "The request must contain the parameter Action.");
  if (only !== undefined && action !== only) throw new SqsError("MissingAuthenticationToken", "Request is missing Authentication Token");
  facts.action = action;
  const version = params.get("Version");
  if (version !== undefined && version !== API_VERSION) {
    throw new SqsError("NoSuchVersion", `The requested version (${version}) of service AmazonSNS does not exist.`);
  }
  const result = await dispatchSns(action, new SnsParams(params), ctx);
  return encodeSnsResult(action, result, ctx.requestId);
}
