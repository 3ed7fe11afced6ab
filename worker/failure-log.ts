/**
 * What the on-call person reads (`wrangler tail`, Workers Logs): one JSON line per request that
 * ended in a 5xx or an unexpected error, and one per throttle, each carrying the request id the
 * client got back (its `x-amzn-requestid`), the action, the account and the queue, so a client's
 * report leads straight to its line.
 */
import { SqsError } from "../sdk/protocol/index.js";

/** What is known of a request when it fails; the later fields stay unset if it failed earlier. */
export interface RequestFacts {
  requestId: string;
  action?: string;
  accountId?: string;
  queue?: string;
}

/** The queue a decoded input names, for the log: by URL, name or ARN, whichever it carries. */
export function queueOf(input: unknown): string | undefined {
  if (typeof input !== "object" || input === null) return undefined;
  const fields = input as Record<string, unknown>;
  if (typeof fields.QueueUrl === "string") return fields.QueueUrl.replace(/\/$/, "").split("/").slice(-2).join("/");
  if (typeof fields.QueueName === "string") return fields.QueueName;
  if (typeof fields.SourceArn === "string") return fields.SourceArn;
  return undefined;
}

/** Logs `error` if it is one the on-call person must see; a client's own mistake is not. */
export function logFailure(facts: RequestFacts, error: unknown, status: number): void {
  const throttled = error instanceof SqsError && error.code === "RequestThrottled";
  if (!throttled && status < 500 && error instanceof SqsError) return;
  const cause = throttled ? error.cause : error;
  const line = {
    level: throttled ? "warn" : "error",
    event: throttled ? "throttled" : "failed",
    requestId: facts.requestId,
    action: facts.action ?? null,
    account: facts.accountId ?? null,
    queue: facts.queue ?? null,
    status,
    error: describe(cause),
  };
  if (throttled) console.warn(JSON.stringify(line));
  else console.error(JSON.stringify(line));
}

function describe(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const flags = error as Error & { retryable?: unknown; overloaded?: unknown; remote?: unknown };
  return {
    name: error.name,
    message: error.message,
    ...(flags.retryable === true && { retryable: true }),
    ...(flags.overloaded === true && { overloaded: true }),
    ...(flags.remote === true && { remote: true }),
    ...(error.stack !== undefined && { stack: error.stack }),
  };
}
