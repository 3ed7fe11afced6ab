/**
 * A topic's attributes: which can be set (at creation or later), their validation with SNS's
 * errors, the defaults SNS reports (the default Policy, the EffectiveDeliveryPolicy) and the
 * full set GetTopicAttributes answers. Pure functions: the Worker validates, the object reads.
 */
import { SqsError, type StringMap } from "../../sdk/protocol/index.js";
import type { TopicConfig } from "./types.js";

/** Delivery-status logging attributes: stored and reported, never acted on (Sluice logs no deliveries to IAM roles). */
const FEEDBACK_ATTRIBUTES = ["Application", "HTTP", "Lambda", "SQS", "Firehose"].flatMap((p) => [
  `${p}SuccessFeedbackRoleArn`,
  `${p}SuccessFeedbackSampleRate`,
  `${p}FailureFeedbackRoleArn`,
]);

/** Settable on any topic, at creation or by SetTopicAttributes. */
const COMMON = new Set([
  "DisplayName",
  "Policy",
  "DeliveryPolicy",
  "KmsMasterKeyId",
  "SignatureVersion",
  "TracingConfig",
  ...FEEDBACK_ATTRIBUTES,
]);
/** FIFO topics only. */
const FIFO_ONLY = new Set(["ContentBasedDeduplication", "FifoThroughputScope", "ArchivePolicy"]);

const invalid = (what: string) => new SqsError("InvalidParameter", `Invalid parameter: ${what}`);

/** A DeliveryPolicy checked and put in the form SNS stores (durable-objects/topic/ports.ts). */
export type DeliveryPolicyReader = (json: string) => string;

/**
 * Validates attributes being set; `creating` also allows FifoTopic (which only creation sets).
 * Answers the attributes to store (FifoTopic itself is kept as the topic's kind, not here).
 */
export function validateTopicAttributes(
  attributes: StringMap,
  fifo: boolean,
  creating: boolean,
  readDeliveryPolicy: DeliveryPolicyReader,
): StringMap {
  const out: StringMap = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "FifoTopic") {
      if (!creating) throw invalid("AttributeName");
      if (value !== "true" && value !== "false") throw invalid("Attributes Reason: FifoTopic must be true or false");
      continue;
    }
    if (!COMMON.has(name) && !FIFO_ONLY.has(name)) throw invalid(creating ? `Attributes Reason: Unknown attribute ${name}` : "AttributeName");
    if (FIFO_ONLY.has(name) && !fifo) {
      throw invalid(`Attributes Reason: ${name} is only valid for FIFO topics`);
    }
    checkValue(name, value);
    out[name] = name === "DeliveryPolicy" && value !== "" ? readDeliveryPolicy(value) : value;
  }
  return out;
}

function checkValue(name: string, value: string): void {
  switch (name) {
    case "DisplayName":
      // SMS senders see it; SNS caps it at 100 characters.
      if (value.length > 100) throw invalid("DisplayName");
      return;
    case "Policy":
      if (value !== "" && !isJsonObject(value)) throw invalid("Policy Error: null");
      return;
    case "SignatureVersion":
      if (value !== "1" && value !== "2") throw invalid("SignatureVersion");
      return;
    case "TracingConfig":
      if (value !== "PassThrough" && value !== "Active") throw invalid("TracingConfig");
      return;
    case "ContentBasedDeduplication":
      if (value !== "true" && value !== "false") throw invalid("ContentBasedDeduplication");
      return;
    case "FifoThroughputScope":
      if (value !== "Topic" && value !== "MessageGroup") throw invalid("FifoThroughputScope");
      return;
    case "ArchivePolicy":
      if (value !== "" && !isJsonObject(value)) throw invalid("ArchivePolicy");
      return;
  }
}

function isJsonObject(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

/** Whether a re-create's attributes are those of the existing topic (CreateTopic is idempotent only then). */
export function sameTopicAttributes(config: TopicConfig, attributes: StringMap): boolean {
  return Object.entries(attributes).every(([name, value]) => (config.attributes[name] ?? defaultValue(config, name)) === value);
}

function defaultValue(config: TopicConfig, name: string): string | undefined {
  switch (name) {
    case "DisplayName":
      return "";
    case "Policy":
      return defaultPolicy(config);
    case "ContentBasedDeduplication":
      return config.fifo ? "false" : undefined;
    case "FifoThroughputScope":
      return config.fifo ? "Topic" : undefined;
    case "SignatureVersion":
      return "1";
    default:
      return undefined;
  }
}

export function topicArnOf(config: Pick<TopicConfig, "region" | "accountId" | "name">): string {
  return `arn:aws:sns:${config.region}:${config.accountId}:${config.name}`;
}

/** The policy AWS gives every new topic: the owner's account may use it. */
export function defaultPolicy(config: TopicConfig): string {
  return JSON.stringify({
    Version: "2008-10-17",
    Id: "__default_policy_ID",
    Statement: [
      {
        Sid: "__default_statement_ID",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: [
          "SNS:GetTopicAttributes",
          "SNS:SetTopicAttributes",
          "SNS:AddPermission",
          "SNS:RemovePermission",
          "SNS:DeleteTopic",
          "SNS:Subscribe",
          "SNS:ListSubscriptionsByTopic",
          "SNS:Publish",
        ],
        Resource: topicArnOf(config),
        Condition: { StringEquals: { "AWS:SourceOwner": config.accountId } },
      },
    ],
  });
}

export interface SubscriptionCounts {
  confirmed: number;
  pending: number;
}

/** GetTopicAttributes: what AWS always reports, the FIFO set on FIFO topics, and whatever was set. */
export function readTopicAttributes(config: TopicConfig, counts: SubscriptionCounts, effectiveDeliveryPolicy: string): StringMap {
  const out: StringMap = {
    Policy: config.attributes.Policy || defaultPolicy(config),
    Owner: config.accountId,
    SubscriptionsPending: String(counts.pending),
    TopicArn: topicArnOf(config),
    EffectiveDeliveryPolicy: effectiveDeliveryPolicy,
    SubscriptionsConfirmed: String(counts.confirmed),
    DisplayName: config.attributes.DisplayName ?? "",
    SubscriptionsDeleted: String(config.subscriptionsDeleted),
  };
  if (config.fifo) {
    out.FifoTopic = "true";
    out.ContentBasedDeduplication = config.attributes.ContentBasedDeduplication ?? "false";
    out.FifoThroughputScope = config.attributes.FifoThroughputScope ?? "Topic";
  }
  for (const [name, value] of Object.entries(config.attributes)) {
    if (name in out || name === "DisplayName" || name === "Policy" || value === "") continue;
    out[name] = value;
  }
  return out;
}
