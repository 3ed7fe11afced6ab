/**
 * The parts a DeliveryPolicy is made of (../delivery-policy.ts): the retry policy, the throttle
 * policy and the request policy, each checked with SNS's rules and written in SNS's key order.
 * A rule SNS's messages are known for words its error as SNS does ("<path>.numRetries must be
 * less than or equal to 100"); the others follow the same pattern.
 */
import type { SqsError } from "../../../sdk/protocol/index.js";

export type BackoffFunction = "linear" | "arithmetic" | "geometric" | "exponential";

/** A retry policy as given: SNS keeps a field left out as null, and fills it in only when it applies the policy. */
export interface RetryPolicyInput {
  minDelayTarget: number | null;
  maxDelayTarget: number | null;
  numRetries: number | null;
  numMaxDelayRetries: number | null;
  numNoDelayRetries: number | null;
  numMinDelayRetries: number | null;
  backoffFunction: BackoffFunction | null;
}

/** A retry policy with every field, as deliveries follow it. Delays in seconds. */
export interface RetryPolicy {
  minDelayTarget: number;
  maxDelayTarget: number;
  numRetries: number;
  numMaxDelayRetries: number;
  numNoDelayRetries: number;
  numMinDelayRetries: number;
  backoffFunction: BackoffFunction;
}

export interface ThrottlePolicy {
  maxReceivesPerSecond: number;
}

export interface RequestPolicy {
  headerContentType: string;
}

export type Fields = Record<string, unknown>;
export type Invalid = (reason: string) => SqsError;

/** SNS's default for HTTP/HTTPS: three retries, 20 seconds apart (key order as SNS writes it). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numRetries: 3,
  numMaxDelayRetries: 0,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  backoffFunction: "linear",
};
export const DEFAULT_CONTENT_TYPE = "text/plain; charset=UTF-8";

const MAX_RETRIES = 100;
const MAX_DELAY_TARGET_SECONDS = 3600;
const BACKOFF_FUNCTIONS: readonly BackoffFunction[] = ["arithmetic", "exponential", "geometric", "linear"];
/** The media types SNS lets headerContentType name, each also with `; charset=UTF-8`. */
const CONTENT_TYPES = [
  "application/atom+xml",
  "application/json",
  "application/octet-stream",
  "application/soap+xml",
  "application/x-www-form-urlencoded",
  "application/xhtml+xml",
  "application/xml",
  "text/css",
  "text/csv",
  "text/html",
  "text/plain",
  "text/xml",
];
const RETRY_MEMBERS = Object.keys(DEFAULT_RETRY_POLICY);

/** The JSON object at `path` (undefined when absent or null), refusing any member but `allowed`. */
export function section(value: unknown, path: string, allowed: readonly string[], invalid: Invalid): Fields | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw invalid(`${path} must be a JSON object`);
  const fields = value as Fields;
  const unexpected = Object.keys(fields).find((key) => !allowed.includes(key));
  if (unexpected !== undefined) throw invalid(`Unexpected JSON member: ${unexpected}`);
  return fields;
}

/** An integer field in [min, max], or null when left out. */
function count(fields: Fields, name: string, path: string, min: number, max: number | undefined, invalid: Invalid): number | null {
  const value = fields[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== "number" || !Number.isInteger(value)) throw invalid(`${path}.${name} must be an integer`);
  if (value < min) throw invalid(`${path}.${name} must be greater than or equal to ${min}`);
  if (max !== undefined && value > max) throw invalid(`${path}.${name} must be less than or equal to ${max}`);
  return value;
}

export function parseRetryPolicy(value: unknown, path: string, invalid: Invalid): RetryPolicyInput | undefined {
  const fields = section(value, path, RETRY_MEMBERS, invalid);
  if (!fields) return undefined;
  const policy: RetryPolicyInput = {
    minDelayTarget: count(fields, "minDelayTarget", path, 1, MAX_DELAY_TARGET_SECONDS, invalid),
    maxDelayTarget: count(fields, "maxDelayTarget", path, 1, MAX_DELAY_TARGET_SECONDS, invalid),
    numRetries: count(fields, "numRetries", path, 0, MAX_RETRIES, invalid),
    numMaxDelayRetries: count(fields, "numMaxDelayRetries", path, 0, undefined, invalid),
    numNoDelayRetries: count(fields, "numNoDelayRetries", path, 0, undefined, invalid),
    numMinDelayRetries: count(fields, "numMinDelayRetries", path, 0, undefined, invalid),
    backoffFunction: null,
  };
  const backoff = fields.backoffFunction;
  if (backoff !== undefined && backoff !== null) {
    if (typeof backoff !== "string" || !BACKOFF_FUNCTIONS.includes(backoff as BackoffFunction)) {
      throw invalid(`${path}.backoffFunction must be one of: ${BACKOFF_FUNCTIONS.join(", ")}`);
    }
    policy.backoffFunction = backoff as BackoffFunction;
  }
  // The rules between fields apply to the policy as deliveries would follow it, defaults filled in.
  const complete = completeRetryPolicy(policy);
  if (complete.minDelayTarget > complete.maxDelayTarget) {
    throw invalid(`${path}.maxDelayTarget must be greater than or equal to minDelayTarget`);
  }
  if (complete.numNoDelayRetries + complete.numMinDelayRetries + complete.numMaxDelayRetries > complete.numRetries) {
    throw invalid(`${path}.numRetries must be greater than or equal to total of numMinDelayRetries, numNoDelayRetries and numMaxDelayRetries`);
  }
  return policy;
}

export function parseThrottlePolicy(value: unknown, path: string, invalid: Invalid): ThrottlePolicy | undefined {
  const fields = section(value, path, ["maxReceivesPerSecond"], invalid);
  if (!fields) return undefined;
  const rate = count(fields, "maxReceivesPerSecond", path, 1, undefined, invalid);
  if (rate === null) throw invalid(`${path}.maxReceivesPerSecond must be specified`);
  return { maxReceivesPerSecond: rate };
}

export function parseRequestPolicy(value: unknown, path: string, invalid: Invalid): RequestPolicy | undefined {
  const fields = section(value, path, ["headerContentType"], invalid);
  if (!fields) return undefined;
  const type = fields.headerContentType;
  if (type === undefined || type === null) throw invalid(`${path}.headerContentType must be specified`);
  if (typeof type !== "string" || !supportedContentType(type)) throw invalid(`${path}.headerContentType ${String(type)} is not supported`);
  return { headerContentType: type };
}

function supportedContentType(type: string): boolean {
  const [media = "", ...parameters] = type.split(";").map((part) => part.trim());
  if (!CONTENT_TYPES.includes(media.toLowerCase())) return false;
  return parameters.length === 0 || (parameters.length === 1 && parameters[0]!.toLowerCase() === "charset=utf-8");
}

/** The policy with SNS's defaults in every field left out (all of them when there is no policy). */
export function completeRetryPolicy(policy?: RetryPolicyInput | null): RetryPolicy {
  const complete = { ...DEFAULT_RETRY_POLICY };
  if (!policy) return complete;
  for (const key of Object.keys(complete) as (keyof RetryPolicy)[]) {
    const value = policy[key];
    if (value !== null) (complete as Record<keyof RetryPolicy, unknown>)[key] = value;
  }
  return complete;
}
