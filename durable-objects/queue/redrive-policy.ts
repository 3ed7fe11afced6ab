/** RedrivePolicy and RedriveAllowPolicy: parsing and the rules that need no other queue. */
import { SqsErrors } from "../../sdk/protocol/index.js";

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

export interface RedriveAllowPolicy {
  redrivePermission: "allowAll" | "denyAll" | "byQueue";
  sourceQueueArns?: string[];
}

export const QUEUE_ARN_PATTERN = /^arn:aws[\w-]*:sqs:[\w-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/;
const MAX_SOURCE_QUEUE_ARNS = 10;

function invalid(name: string, raw: string, reason: string) {
  return SqsErrors.invalidParameter(name, raw, reason);
}

export function parseRedrivePolicy(raw: string): RedrivePolicy {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw invalid("RedrivePolicy", raw, "Redrive policy is not a valid JSON map.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid("RedrivePolicy", raw, "Redrive policy is not a valid JSON map.");
  }
  const { deadLetterTargetArn, maxReceiveCount } = value as Record<string, unknown>;
  if (deadLetterTargetArn === undefined) {
    throw invalid("RedrivePolicy", raw, "The required parameter 'deadLetterTargetArn' is missing");
  }
  if (maxReceiveCount === undefined) {
    throw invalid("RedrivePolicy", raw, "The required parameter 'maxReceiveCount' is missing");
  }
  // The ARN's syntax is checked before the target is looked up, as AWS does.
  if (typeof deadLetterTargetArn !== "string" || !QUEUE_ARN_PATTERN.test(deadLetterTargetArn)) {
    throw invalid("RedrivePolicy", raw, "Invalid value for deadLetterTargetArn.");
  }
  const count = typeof maxReceiveCount === "string" && /^\d+$/.test(maxReceiveCount) ? Number(maxReceiveCount) : maxReceiveCount;
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1 || count > 1000) {
    throw invalid(
      "RedrivePolicy",
      raw,
      `Invalid value for maxReceiveCount: ${String(maxReceiveCount)}, valid values are from 1 to 1000 both inclusive.`,
    );
  }
  return { deadLetterTargetArn, maxReceiveCount: count };
}

export function parseRedriveAllowPolicy(raw: string): RedriveAllowPolicy {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw invalid("RedriveAllowPolicy", raw, "Redrive allow policy is not a valid JSON map.");
  }
  const policy = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  const permission = policy.redrivePermission;
  if (permission !== "allowAll" && permission !== "denyAll" && permission !== "byQueue") {
    throw invalid("RedriveAllowPolicy", raw, "Invalid value for redrivePermission.");
  }
  const arns = policy.sourceQueueArns;
  if (permission !== "byQueue") {
    if (arns !== undefined) {
      throw invalid("RedriveAllowPolicy", raw, "sourceQueueArns can only be specified when redrivePermission is byQueue.");
    }
    return { redrivePermission: permission };
  }
  if (
    !Array.isArray(arns) ||
    arns.length === 0 ||
    arns.length > MAX_SOURCE_QUEUE_ARNS ||
    !arns.every((a) => typeof a === "string" && QUEUE_ARN_PATTERN.test(a))
  ) {
    throw invalid(
      "RedriveAllowPolicy",
      raw,
      `sourceQueueArns must list 1 to ${MAX_SOURCE_QUEUE_ARNS} queue ARNs when redrivePermission is byQueue.`,
    );
  }
  return { redrivePermission: permission, sourceQueueArns: arns as string[] };
}

/** Whether a dead-letter queue with this allow policy accepts `sourceArn` as a source. */
export function allowsSource(policy: RedriveAllowPolicy | undefined, sourceArn: string): boolean {
  if (!policy || policy.redrivePermission === "allowAll") return true;
  if (policy.redrivePermission === "denyAll") return false;
  return policy.sourceQueueArns?.includes(sourceArn) ?? false;
}

/** The queue's RedrivePolicy, if it has one. */
export function redrivePolicyOf(config: { attributes: { RedrivePolicy?: string } }): RedrivePolicy | undefined {
  const raw = config.attributes.RedrivePolicy;
  return raw ? parseRedrivePolicy(raw) : undefined;
}
