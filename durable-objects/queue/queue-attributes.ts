/**
 * Queue attributes: defaults, validation of values set at create or later, and the
 * CreateQueue idempotency comparison.
 */
import { SqsErrors, type StringMap } from "../../sdk/protocol/index.js";

interface IntegerRule {
  kind: "integer";
  min: number;
  max: number;
  default?: number;
}
interface EnumRule {
  kind: "enum";
  values: readonly string[];
  default?: string;
}
/** AWS reads boolean attributes case-insensitively ("True" makes a FIFO queue); stored lower-case. */
interface BooleanRule {
  kind: "boolean";
  default?: "true" | "false";
}
interface TextRule {
  kind: "json" | "text";
}
type Rule = (IntegerRule | EnumRule | BooleanRule | TextRule) & { fifoOnly?: boolean };

/** Attributes a client may set. Insertion order is the order GetQueueAttributes(All) lists them. */
export const SETTABLE: Record<string, Rule> = {
  DelaySeconds: { kind: "integer", min: 0, max: 900, default: 0 },
  MaximumMessageSize: { kind: "integer", min: 1_024, max: 1_048_576, default: 1_048_576 },
  MessageRetentionPeriod: { kind: "integer", min: 60, max: 1_209_600, default: 345_600 },
  ReceiveMessageWaitTimeSeconds: { kind: "integer", min: 0, max: 20, default: 0 },
  VisibilityTimeout: { kind: "integer", min: 0, max: 43_200, default: 30 },
  Policy: { kind: "json" },
  RedrivePolicy: { kind: "json" },
  RedriveAllowPolicy: { kind: "json" },
  KmsMasterKeyId: { kind: "text" },
  KmsDataKeyReusePeriodSeconds: { kind: "integer", min: 60, max: 86_400 },
  SqsManagedSseEnabled: { kind: "boolean", default: "true" },
  FifoQueue: { kind: "boolean", fifoOnly: true },
  ContentBasedDeduplication: { kind: "boolean", default: "false", fifoOnly: true },
  DeduplicationScope: { kind: "enum", values: ["queue", "messageGroup"], default: "queue", fifoOnly: true },
  FifoThroughputLimit: { kind: "enum", values: ["perQueue", "perMessageGroupId"], default: "perQueue", fifoOnly: true },
};

/** Attributes computed by the queue; GetQueueAttributes knows them, SetQueueAttributes does not. */
export const READ_ONLY = [
  "ApproximateNumberOfMessages",
  "ApproximateNumberOfMessagesNotVisible",
  "ApproximateNumberOfMessagesDelayed",
  "CreatedTimestamp",
  "LastModifiedTimestamp",
  "QueueArn",
] as const;

export function isKnownAttribute(name: string): boolean {
  return Object.hasOwn(SETTABLE, name) || (READ_ONLY as readonly string[]).includes(name);
}

/** The attributes a new queue starts with. */
export function defaultAttributes(fifo: boolean): StringMap {
  const attributes: StringMap = {};
  for (const [name, rule] of Object.entries(SETTABLE)) {
    if (rule.fifoOnly && !fifo) continue;
    if ("default" in rule && rule.default !== undefined) attributes[name] = String(rule.default);
  }
  if (fifo) attributes.FifoQueue = "true";
  return attributes;
}

function normalizeValue(name: string, rule: Rule, raw: string): string {
  const value = raw.trim();
  switch (rule.kind) {
    case "integer": {
      if (!/^-?\d+$/.test(value)) throw SqsErrors.invalidAttributeValue(name);
      const n = Number(value);
      if (n < rule.min || n > rule.max) throw SqsErrors.invalidAttributeValue(name);
      return String(n);
    }
    case "enum":
      if (!rule.values.includes(value)) throw SqsErrors.invalidAttributeValue(name);
      return value;
    case "boolean": {
      const lower = value.toLowerCase();
      if (lower !== "true" && lower !== "false") throw SqsErrors.invalidAttributeValue(name);
      return lower;
    }
    case "json":
      if (raw === "") return "";
      try {
        if (typeof JSON.parse(raw) !== "object") throw new Error("not an object");
      } catch {
        throw SqsErrors.invalidAttributeValue(name);
      }
      return raw;
    case "text":
      return raw;
  }
}

/**
 * Validates attributes given to CreateQueue (`current` undefined) or SetQueueAttributes and
 * returns them normalised (integers in canonical form). An empty string clears a JSON attribute.
 */
export function validateAttributes(input: StringMap, fifo: boolean, creating: boolean): StringMap {
  const out: StringMap = {};
  for (const [name, raw] of Object.entries(input)) {
    const rule = SETTABLE[name];
    if (!rule) throw SqsErrors.unknownAttribute(name);
    if (rule.fifoOnly && !fifo) {
      if (name === "DeduplicationScope" || name === "FifoThroughputLimit") {
        throw SqsErrors.invalidAttributeName(`You can specify the ${name} only when FifoQueue is set to true.`);
      }
      throw SqsErrors.unknownAttribute(name);
    }
    const value = normalizeValue(name, rule, raw);
    if (name === "FifoQueue" && !creating) {
      // SetQueueAttributes FifoQueue=true on a FIFO queue is accepted and changes nothing (AWS);
      // false would change the queue's type, which AWS refuses.
      if (value === "true") continue;
      throw SqsErrors.invalidAttributeValue("FifoQueue", "Modifying queue type is not supported.");
    }
    out[name] = value;
  }
  if (out.KmsMasterKeyId !== undefined && out.KmsMasterKeyId !== "" && out.SqsManagedSseEnabled === "true") {
    throw SqsErrors.invalidAttributeName(
      "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.",
    );
  }
  return out;
}

/** Applies validated updates to the current attributes; returns the new map. */
export function applyAttributes(current: StringMap, updates: StringMap): StringMap {
  const next = { ...current, ...updates };
  for (const [name, value] of Object.entries(updates)) {
    if (value === "" && SETTABLE[name]?.kind !== "text") delete next[name];
  }
  if (updates.KmsMasterKeyId) {
    next.SqsManagedSseEnabled = "false";
    next.KmsDataKeyReusePeriodSeconds ??= "300";
  } else if (updates.KmsMasterKeyId === "") {
    delete next.KmsMasterKeyId;
    delete next.KmsDataKeyReusePeriodSeconds;
  }
  if (next.FifoThroughputLimit === "perMessageGroupId" && next.DeduplicationScope !== "messageGroup") {
    // High-throughput FIFO needs deduplication per message group.
    throw SqsErrors.invalidAttributeValue(
      "FifoThroughputLimit",
      "The perMessageGroupId value is allowed only when the value for DeduplicationScope is messageGroup.",
    );
  }
  return next;
}

/** CreateQueue on an existing name succeeds only if every given attribute equals the current value. */
export function firstDifferentAttribute(current: StringMap, given: StringMap): string | undefined {
  for (const [name, value] of Object.entries(given)) {
    if ((current[name] ?? defaultAttributes(current.FifoQueue === "true")[name] ?? "") !== value) return name;
  }
  return undefined;
}
