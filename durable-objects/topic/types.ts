/** The topic object's RPC vocabulary: what the Worker hands in and gets back. */
import type { StringMap } from "../../sdk/protocol/index.js";

export interface TopicIdentity {
  name: string;
  accountId: string;
  region: string;
}

export interface CreateTopicArgs extends TopicIdentity {
  /** Validated by the Worker (worker/sns/topic-attributes.ts). */
  attributes: StringMap;
  tags: StringMap;
  dataProtectionPolicy?: string;
}

/** The stored description of a topic. Timestamps are epoch ms. */
export interface TopicConfig extends TopicIdentity {
  fifo: boolean;
  createdAt: number;
  /** Attributes set at creation or since (Policy included, once it differs from the default). */
  attributes: StringMap;
  tags: StringMap;
  dataProtectionPolicy?: string;
  subscriptionsDeleted: number;
}

export const PROTOCOLS = ["http", "https", "email", "email-json", "sms", "sqs", "application", "lambda", "firehose"] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export interface SubscribeArgs {
  protocol: Protocol;
  endpoint: string;
  /** Validated by the Worker. */
  attributes: StringMap;
  owner: string;
  /** Confirmed at once (same-account queues, SMS, Lambda, Firehose, applications). */
  confirmed: boolean;
  /** Scheme, host and port the subscriber called: an HTTP(S) endpoint's SubscribeURL is built from it. */
  origin: string;
}

export interface Subscribed {
  id: string;
  confirmed: boolean;
  /** A subscription that already existed (same protocol and endpoint) is answered again. */
  existing: boolean;
}

/** One row of ListSubscriptions(ByTopic), and what the registry's index keeps. */
export interface SubscriptionListing {
  id: string;
  protocol: string;
  endpoint: string;
  owner: string;
  confirmed: boolean;
}

export interface SubscriptionPage {
  subscriptions: SubscriptionListing[];
  /** Subscription id to continue after, when more remain. */
  after?: string;
}

export interface PublishAttribute {
  DataType: string;
  StringValue?: string;
  /** Base64, as the envelope carries it. */
  BinaryValue?: string;
}

/** One message for the outbox, validated by the Worker. */
export interface PublishEntry {
  /** Not a publish: the SubscriptionConfirmation for one pending HTTP(S) subscription, with its token. */
  confirmationToken?: string;
  message: string;
  subject?: string;
  /** `json`: `message` is a JSON object with a `default` entry and per-protocol ones. */
  messageStructure?: "json";
  attributes?: Record<string, PublishAttribute>;
  groupId?: string;
  dedupId?: string;
  /** Hex SHA-256 of the message: the deduplication id of a topic with content-based deduplication. */
  contentHash?: string;
  /** Scheme, host and port the publisher called: SigningCertURL and UnsubscribeURL are built from it. */
  origin: string;
}

export interface Published {
  messageId: string;
  /** FIFO topics only. */
  sequenceNumber?: string;
}
