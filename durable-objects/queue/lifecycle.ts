/** Creating a queue's stored description, and reading its attributes back. */
import { QUEUE_COOLDOWN_MS, SqsErrors, type StringMap } from "../../sdk/protocol/index.js";
import type { MessageCounts } from "./counts.js";
import {
  applyAttributes,
  defaultAttributes,
  firstDifferentAttribute,
  isKnownAttribute,
  validateAttributes,
} from "./queue-attributes.js";
import { noteDedupScope } from "./dedup.js";
import { newReceiptKey } from "./receipt-handle.js";
import { queueArn, type CreateQueueArgs, type QueueConfig, type QueueSummary, type Tombstone } from "./types.js";

/**
 * The configuration of a new queue, or undefined when `existing` is the same queue created
 * again with equal attributes (CreateQueue is idempotent; tags are not compared).
 */
export function createConfig(
  existing: QueueConfig | Tombstone | undefined,
  args: CreateQueueArgs,
  now: number,
): QueueConfig | undefined {
  const fifo = args.name.endsWith(".fifo");
  const given = validateAttributes(args.attributes, fifo, true);
  if (existing && "name" in existing) {
    const different = firstDifferentAttribute(existing.attributes, given);
    if (different !== undefined) throw SqsErrors.queueNameExists(different);
    return undefined;
  }
  if (existing && now - existing.deletedAt < QUEUE_COOLDOWN_MS) throw SqsErrors.queueDeletedRecently();
  const config: QueueConfig = {
    name: args.name,
    accountId: args.accountId,
    region: args.region,
    fifo,
    createdAt: now,
    lastModifiedAt: now,
    attributes: applyAttributes(defaultAttributes(fifo), given),
    tags: { ...args.tags },
    receiptKey: newReceiptKey(),
  };
  noteDedupScope(config);
  return config;
}

/** Identity and settings another queue needs (redrive checks, move tasks). */
export function describeQueue(config: QueueConfig): QueueSummary {
  return { name: config.name, fifo: config.fifo, arn: queueArn(config), attributes: { ...config.attributes } };
}

/** GetQueueAttributes: `All` or named ones; the counters are only computed when asked for. */
export function readAttributes(config: QueueConfig, names: string[], counts: () => MessageCounts): StringMap {
  for (const name of names) if (name !== "All" && !isKnownAttribute(name)) throw SqsErrors.unknownAttribute(name);
  const all = names.includes("All");
  const wanted = (name: string) => all || names.includes(name);
  const out: StringMap = {};
  if (names.some((name) => name === "All" || name.startsWith("Approximate"))) {
    const { visible, notVisible, delayed } = counts();
    if (wanted("ApproximateNumberOfMessages")) out.ApproximateNumberOfMessages = String(visible);
    if (wanted("ApproximateNumberOfMessagesNotVisible")) out.ApproximateNumberOfMessagesNotVisible = String(notVisible);
    if (wanted("ApproximateNumberOfMessagesDelayed")) out.ApproximateNumberOfMessagesDelayed = String(delayed);
  }
  // CreatedTimestamp and LastModifiedTimestamp are epoch seconds, unlike message timestamps.
  if (wanted("CreatedTimestamp")) out.CreatedTimestamp = String(Math.floor(config.createdAt / 1000));
  if (wanted("LastModifiedTimestamp")) out.LastModifiedTimestamp = String(Math.floor(config.lastModifiedAt / 1000));
  if (wanted("QueueArn")) out.QueueArn = queueArn(config);
  for (const [name, value] of Object.entries(config.attributes)) if (wanted(name)) out[name] = value;
  return out;
}
