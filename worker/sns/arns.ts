/**
 * Topic and subscription ARNs: `arn:aws:sns:<region>:<account>:<topic>` and, under it,
 * `arn:aws:sns:<region>:<account>:<topic>:<subscription id>`. A topic lives in one object per
 * account and name, whatever region its ARN names (one deployment serves every region).
 */
import { SnsErrors } from "./errors.js";

export interface TopicRef {
  region: string;
  accountId: string;
  name: string;
}

export interface SubscriptionRef extends TopicRef {
  id: string;
}

/** 1 to 256 letters, digits, hyphens and underscores; a FIFO topic's name ends in `.fifo`. */
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_TOPIC_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;
const ARN = /^arn:aws[\w-]*:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_.-]{1,256})(?::([A-Za-z0-9-]{1,64}))?$/;

export function isTopicName(name: string, fifo: boolean): boolean {
  return fifo ? FIFO_TOPIC_NAME.test(name) : TOPIC_NAME.test(name);
}

export function topicArn(ref: TopicRef): string {
  return `arn:aws:sns:${ref.region}:${ref.accountId}:${ref.name}`;
}

export function subscriptionArn(ref: TopicRef, id: string): string {
  return `${topicArn(ref)}:${id}`;
}

/** A TopicArn parameter; one that cannot name a topic is `Invalid parameter: <parameter>`. */
export function parseTopicArn(arn: string, parameter = "TopicArn"): TopicRef {
  const match = ARN.exec(arn);
  if (!match || match[4] !== undefined) throw SnsErrors.invalidParameter(parameter);
  return { region: match[1]!, accountId: match[2]!, name: match[3]! };
}

export function parseSubscriptionArn(arn: string, parameter = "SubscriptionArn"): SubscriptionRef {
  const match = ARN.exec(arn);
  if (!match || match[4] === undefined) throw SnsErrors.invalidParameter(parameter);
  return { region: match[1]!, accountId: match[2]!, name: match[3]!, id: match[4] };
}

/** Either kind, for the tagging actions' ResourceArn. */
export function parseAnyArn(arn: string): TopicRef | SubscriptionRef | undefined {
  const match = ARN.exec(arn);
  if (!match) return undefined;
  const ref = { region: match[1]!, accountId: match[2]!, name: match[3]! };
  return match[4] === undefined ? ref : { ...ref, id: match[4] };
}
