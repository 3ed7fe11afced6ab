/** Queue URLs and ARNs <-> (account, queue name), and the Durable Object behind a queue. */
import { isQueueName, QUEUE_NAME_SOURCE, queueArnParts, SqsErrors } from "../sdk/protocol/index.js";
import type { RequestContext } from "./context.js";

export interface QueueRef {
  accountId: string;
  name: string;
}

/** The last two segments of a queue URL's path: account and queue name. */
const QUEUE_PATH = new RegExp(`/(\\d{12})/(${QUEUE_NAME_SOURCE})/?$`);

export function queueUrl(ctx: Pick<RequestContext, "origin">, ref: QueueRef): string {
  return `${ctx.origin}/${ref.accountId}/${ref.name}`;
}

/**
 * Resolves a queue by the last two path segments of its URL, ignoring scheme and host.
 * A bare queue name is a QueueUrl too: AWS resolves it in the caller's account.
 */
export function parseQueueUrl(url: string, ctx: Pick<RequestContext, "accountId">): QueueRef {
  if (isQueueName(url)) return { accountId: ctx.accountId, name: url };
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // not absolute: accept a bare path "/<account>/<name>"
  }
  const match = QUEUE_PATH.exec(path);
  if (!match) throw SqsErrors.queueDoesNotExist();
  return { accountId: match[1]!, name: match[2]! };
}

export function parseQueueArn(arn: string): (QueueRef & { region: string }) | undefined {
  return queueArnParts(arn);
}

export function queueStub(ctx: Pick<RequestContext, "env">, ref: QueueRef) {
  return ctx.env.QUEUE.get(ctx.env.QUEUE.idFromName(`${ref.accountId}/${ref.name}`));
}

export function registryStub(ctx: Pick<RequestContext, "env">, accountId: string) {
  return ctx.env.REGISTRY.get(ctx.env.REGISTRY.idFromName(`registry/${accountId}`));
}
