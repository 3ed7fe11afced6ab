/**
 * TopicObject: one Durable Object per topic (named `<account>/<topic name>`), a thin RPC shell.
 * Its SQLite holds the topic's configuration, its subscriptions, the outbox of publishes and the
 * FIFO deduplication ids; each method hands its request to a module (topic-attributes.ts,
 * subscriptions.ts, outbox.ts, fanout.ts) and returns an Outcome, so expected errors cross the
 * RPC boundary as data. The alarm runs the fan-out; a publish sets it for now.
 */
import { DurableObject } from "cloudflare:workers";
import { SqsError, type Outcome, type StringMap } from "../../sdk/protocol/index.js";
import { guard, guardAsync } from "../outcome-guard.js";
import { Sql } from "../sql.js";
import { fanoutRound } from "./fanout.js";
import { enqueueFor, nextDue, publish, sweepDedup } from "./outbox.js";
import type { SigningEnv } from "../signing/signing-material.js";
import type { TopicPorts } from "./ports.js";
import type { QueueSink } from "./queue-delivery.js";
import { bindingPort, type EngineBindings, type QueuePort } from "../queue/queue-port.js";
import type { QueueSummary } from "../queue/types.js";
import { wiredPorts } from "./wired-ports.js";
import { createTopicSchema } from "./schema.js";
import { applySubscriptionAttributes, readSubscriptionAttributes } from "./subscription-attributes.js";
import {
  allSubscriptions,
  confirm,
  countSubscriptions,
  listing,
  pageSubscriptions,
  removeSubscription,
  requireSubscription,
  saveSubscriptionAttributes,
  subscribe,
  type SubscriptionRow,
} from "./subscriptions.js";
import { addTopicPermission, removeTopicPermission } from "./topic-permissions.js";
import {
  defaultPolicy,
  readTopicAttributes,
  sameTopicAttributes,
  topicArnOf,
  validateTopicAttributes,
} from "./topic-attributes.js";
import type {
  CreateTopicArgs,
  PublishEntry,
  Published,
  Subscribed,
  SubscribeArgs,
  SubscriptionListing,
  SubscriptionPage,
  TopicConfig,
} from "./types.js";

interface TopicBindings extends SigningEnv, EngineBindings {}

export class TopicObject extends DurableObject<TopicBindings> {
  private readonly sql: Sql;
  private stored: TopicConfig | undefined;
  /** The subscriptions as the fan-out reads them; dropped whenever one changes. */
  private subscriptionCache: SubscriptionRow[] | undefined;
  private wiredPorts: TopicPorts | undefined;
  /** Queues by ARN and partition, and their partition counts: the engine's own port (queue-port.ts). */
  private queuePort: QueuePort | undefined;
  /** HTTP(S) deliveries under way (fanout.ts starts them and does not wait). */
  protected readonly httpDeliveries = new Set<Promise<void>>();

  constructor(ctx: DurableObjectState, env: TopicBindings) {
    super(ctx, env);
    this.sql = new Sql(ctx.storage.sql);
    createTopicSchema(this.sql);
    const row = this.sql.one<{ config: string }>("SELECT config FROM topic WHERE id = 1");
    this.stored = row ? (JSON.parse(row.config) as TopicConfig) : undefined;
  }

  // ---- the topic ----------------------------------------------------------------------------

  /**
   * CreateTopic: a new topic, or the same one again when its attributes are equal (tags too, if
   * given). Answers the topic's ARN, in the region it was first made in.
   */
  create(args: CreateTopicArgs): Outcome<string> {
    return guard(() => {
      const fifo = args.name.endsWith(".fifo");
      const existing = this.stored;
      if (existing) {
        if (!sameTopicAttributes(existing, args.attributes)) {
          throw new SqsError("InvalidParameter", "Invalid parameter: Attributes Reason: Topic already exists with different attributes");
        }
        const tagsDiffer = Object.entries(args.tags).some(([k, v]) => existing.tags[k] !== v);
        if (tagsDiffer) throw new SqsError("InvalidParameter", "Invalid parameter: Tags Reason: Topic already exists with different tags");
        return topicArnOf(existing);
      }
      const attributes = validateTopicAttributes(args.attributes, fifo, true, (json) => this.ports().topicDeliveryPolicy(json));
      this.save({
        name: args.name,
        accountId: args.accountId,
        region: args.region,
        fifo,
        createdAt: Date.now(),
        attributes,
        tags: { ...args.tags },
        dataProtectionPolicy: args.dataProtectionPolicy,
        subscriptionsDeleted: 0,
      });
      return topicArnOf(this.stored!);
    });
  }

  /** DeleteTopic: everything goes, pending deliveries included (as on AWS). Answers the subscriptions it had. */
  async deleteTopic(): Promise<Outcome<string[]>> {
    return guardAsync(async () => {
      this.config();
      const ids = allSubscriptions(this.sql).map((s) => s.id);
      await this.ctx.storage.deleteAlarm();
      await this.ctx.storage.deleteAll();
      this.stored = undefined;
      this.subscriptionCache = undefined;
      createTopicSchema(this.sql);
      return ids;
    });
  }

  exists(): Outcome<{ fifo: boolean; contentBasedDeduplication: boolean }> {
    return guard(() => {
      const config = this.config();
      return { fifo: config.fifo, contentBasedDeduplication: config.attributes.ContentBasedDeduplication === "true" };
    });
  }

  getAttributes(): Outcome<StringMap> {
    return guard(() => {
      const config = this.config();
      return readTopicAttributes(config, countSubscriptions(this.sql), this.ports().effectiveTopicDeliveryPolicy(config.attributes.DeliveryPolicy));
    });
  }

  setAttribute(name: string, value: string): Outcome<void> {
    return guard(() => {
      const config = this.config();
      const valid = validateTopicAttributes({ [name]: value }, config.fifo, false, (json) => this.ports().topicDeliveryPolicy(json));
      const attributes = { ...config.attributes, ...valid };
      if (value === "" && name !== "DisplayName") delete attributes[name];
      this.save({ ...config, attributes });
    });
  }

  addPermission(label: string, accountIds: string[], actions: string[]): Outcome<void> {
    return guard(() => {
      const config = this.config();
      const policy = addTopicPermission(policyOf(config), topicArnOf(config), label, accountIds, actions);
      this.save({ ...config, attributes: { ...config.attributes, Policy: policy } });
    });
  }

  removePermission(label: string): Outcome<void> {
    return guard(() => {
      const config = this.config();
      const policy = removeTopicPermission(policyOf(config), label);
      this.save({ ...config, attributes: { ...config.attributes, Policy: policy } });
    });
  }

  tag(tags: StringMap, maxTags: number): Outcome<void> {
    return guard(() => {
      const config = this.config();
      const next = { ...config.tags, ...tags };
      if (Object.keys(next).length > maxTags) {
        throw new SqsError("TagLimitExceeded", "Could not complete request: tag quota of per resource exceeded");
      }
      this.save({ ...config, tags: next });
    });
  }

  untag(keys: string[]): Outcome<void> {
    return guard(() => {
      const config = this.config();
      const tags = { ...config.tags };
      for (const key of keys) delete tags[key];
      this.save({ ...config, tags });
    });
  }

  listTags(): Outcome<StringMap> {
    return guard(() => ({ ...this.config().tags }));
  }

  getDataProtectionPolicy(): Outcome<string> {
    return guard(() => this.config().dataProtectionPolicy ?? "");
  }

  putDataProtectionPolicy(policy: string): Outcome<void> {
    return guard(() => this.save({ ...this.config(), dataProtectionPolicy: policy }));
  }

  // ---- subscriptions -------------------------------------------------------------------------

  subscribe(args: SubscribeArgs): Outcome<Subscribed> {
    return guard(() => {
      const config = this.config();
      const attributes = applySubscriptionAttributes({}, args.attributes, { protocol: args.protocol, topicFifo: config.fifo }, this.ports(), "Subscribe");
      this.subscriptionCache = undefined;
      const now = Date.now();
      const { token, ...made } = subscribe(this.sql, { ...args, attributes }, now);
      // A new HTTP(S) subscription, or another account's queue, is sent its SubscriptionConfirmation
      // through the outbox: durably, with retries.
      if (token !== undefined && ["http", "https", "sqs"].includes(args.protocol)) {
        enqueueFor(this.sql, made.id, { message: "", origin: args.origin, confirmationToken: token }, now);
        this.wake();
      }
      return made;
    });
  }

  /** ConfirmSubscription: the listing of the subscription the token confirms. */
  confirmSubscription(token: string): Outcome<SubscriptionListing> {
    return guard(() => {
      this.config();
      this.subscriptionCache = undefined;
      return listing(confirm(this.sql, token));
    });
  }

  unsubscribe(id: string): Outcome<void> {
    return guard(() => {
      const config = this.config();
      requireSubscription(this.sql, id);
      removeSubscription(this.sql, id);
      this.subscriptionCache = undefined;
      this.save({ ...config, subscriptionsDeleted: config.subscriptionsDeleted + 1 });
    });
  }

  listSubscriptions(limit: number, after?: string): Outcome<SubscriptionPage> {
    return guard(() => (this.config(), pageSubscriptions(this.sql, limit, after)));
  }

  getSubscriptionAttributes(id: string): Outcome<StringMap> {
    return guard(() => {
      const config = this.config();
      const row = requireSubscription(this.sql, id);
      return readSubscriptionAttributes({
        subscriptionArn: `${topicArnOf(config)}:${row.id}`,
        topicArn: topicArnOf(config),
        protocol: row.protocol,
        endpoint: row.endpoint,
        owner: row.owner,
        confirmed: row.confirmed,
        attributes: row.attributes,
        effectiveDeliveryPolicy: this.ports().effectiveSubscriptionDeliveryPolicy(config.attributes.DeliveryPolicy, row.attributes.DeliveryPolicy),
        failures: row.failures,
        lastFailure: row.lastFailure,
      });
    });
  }

  setSubscriptionAttribute(id: string, name: string, value: string): Outcome<void> {
    return guard(() => {
      const config = this.config();
      const row = requireSubscription(this.sql, id);
      const attributes = applySubscriptionAttributes(row.attributes, { [name]: value }, { protocol: row.protocol, topicFifo: config.fifo }, this.ports(), "SetSubscriptionAttributes");
      saveSubscriptionAttributes(this.sql, id, attributes);
      this.subscriptionCache = undefined;
    });
  }

  // ---- publishing ----------------------------------------------------------------------------

  /** Stores the messages in the outbox (all or none) and answers once they are durable; the alarm delivers. */
  async publish(entries: PublishEntry[]): Promise<Outcome<Published[]>> {
    return guardAsync(async () => {
      const config = this.config();
      const now = Date.now();
      const published = this.ctx.storage.transactionSync(() => publish(this.sql, config, entries, now));
      await this.setAlarmBy(now);
      return published;
    });
  }

  override async alarm(): Promise<void> {
    const config = this.stored;
    if (!config) return;
    const now = Date.now();
    sweepDedup(this.sql, now);
    const more = await fanoutRound({
      sql: this.sql,
      config,
      subscriptions: this.subscriptions(),
      ports: this.ports(),
      queueSink: (arn) => this.queueSink(arn),
      now,
      log: (line) => console.warn(JSON.stringify(line)),
      started: (delivery) => {
        this.httpDeliveries.add(delivery);
        void delivery.finally(() => this.httpDeliveries.delete(delivery));
      },
      wake: () => this.wake(),
    });
    // The topic may have been deleted while the round ran.
    if (!this.stored) return;
    const due = more ? Date.now() : nextDue(this.sql);
    if (due !== undefined) await this.ctx.storage.setAlarm(due);
  }

  /** Makes sure the alarm fires by the outbox's next due time. */
  private wake(): void {
    const due = nextDue(this.sql);
    if (due !== undefined) void this.setAlarmBy(due);
  }

  private async setAlarmBy(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  // ---- plumbing ------------------------------------------------------------------------------

  /** The filter, signature, delivery-policy and HTTP modules (ports.ts, wired-ports.ts). */
  protected ports(): TopicPorts {
    this.wiredPorts ??= wiredPorts(this.env);
    return this.wiredPorts;
  }

  /**
   * A queue by ARN: described by its partition 0, its partitions reached and counted as the
   * engine's moves between queues reach and count them (queue-port.ts).
   */
  protected queueSink(queueArn: string): QueueSink {
    const port = (this.queuePort ??= bindingPort(this.env));
    return {
      describe: () => (port.peer(queueArn, 0) as unknown as { describe(): Promise<Outcome<QueueSummary>> }).describe(),
      partitions: () => port.partitions(queueArn),
      send: (k, messages, batch) => port.peer(queueArn, k).send(messages, batch),
    };
  }

  private subscriptions(): SubscriptionRow[] {
    this.subscriptionCache ??= allSubscriptions(this.sql);
    return this.subscriptionCache;
  }

  private config(): TopicConfig {
    if (!this.stored) throw new SqsError("NotFound", "Topic does not exist");
    return this.stored;
  }

  private save(config: TopicConfig): void {
    this.sql.run("INSERT OR REPLACE INTO topic (id, config) VALUES (1, ?)", JSON.stringify(config));
    this.stored = config;
  }


}

/** The topic's Policy: the one set, or AWS's default. */
function policyOf(config: TopicConfig): string {
  return config.attributes.Policy || defaultPolicy(config);
}

