/**
 * QueueObject: one Durable Object per queue. A thin RPC shell over the plain functions beside
 * it; every method returns an Outcome so expected SQS errors cross the RPC boundary as data.
 */
import { DurableObject } from "cloudflare:workers";
import {
  fail,
  ok,
  MAX_IN_FLIGHT_MESSAGES,
  QUEUE_COOLDOWN_MS,
  SqsError,
  SqsErrors,
  type Outcome,
  type StringMap,
} from "../../sdk/protocol/index.js";
import { systemClock, type Clock } from "./clock.js";
import { countMessages } from "./counts.js";
import { deleteByHandle } from "./delete.js";
import { Waiters } from "./long-poll.js";
import {
  applyAttributes,
  defaultAttributes,
  firstDifferentAttribute,
  isKnownAttribute,
  READ_ONLY,
  validateAttributes,
} from "./queue-attributes.js";
import { countInFlight, hasVisibleMessage, nextVisibleAt, pickVisibleMessages } from "./receive.js";
import { decodeReceiptHandle, encodeReceiptHandle, importReceiptKey, newReceiptKey } from "./receipt-handle.js";
import { deleteExpired, nextExpiry } from "./retention.js";
import { ensureSchema } from "./schema.js";
import { storeMessages } from "./send.js";
import { Sql, type SqlStats } from "./sql.js";
import {
  queueArn,
  type CreateQueueArgs,
  type NewMessage,
  type QueueConfig,
  type ReceiveOutcome,
  type ReceiveParams,
  type SentMessage,
  type Tombstone,
  type VisibilityChange,
} from "./types.js";
import { changeVisibility } from "./visibility.js";

type Stored = QueueConfig | Tombstone;
const isLive = (stored: Stored | undefined): stored is QueueConfig => stored !== undefined && "name" in stored;

export class QueueObject extends DurableObject {
  /** Replaced by tests (through runInDurableObject) to move time instead of sleeping. */
  clock: Clock = systemClock;
  private readonly sql: Sql;
  private readonly waiters = new Waiters();
  private stored: Stored | undefined;
  private receiptKey: Promise<CryptoKey> | undefined;
  /** Upper bound of messages in flight: the exact count is only taken when this nears the limit. */
  private inFlightBound: number | undefined;
  /** The alarm time we last set, so a send does not rewrite an alarm that is already early enough. */
  private alarmAt: number | null | undefined;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    this.sql = new Sql(ctx.storage.sql);
    ctx.blockConcurrencyWhile(async () => {
      ensureSchema(this.sql);
      const row = this.sql.one<{ config: string }>("SELECT config FROM queue WHERE id = 1");
      this.stored = row ? (JSON.parse(row.config) as Stored) : undefined;
    });
  }

  // ---- queue lifecycle -------------------------------------------------------------------

  create(args: CreateQueueArgs): Outcome<void> {
    return this.guard(() => {
      const now = this.clock.now();
      const fifo = args.name.endsWith(".fifo");
      const given = validateAttributes(args.attributes, fifo, true);
      if (isLive(this.stored)) {
        const different = firstDifferentAttribute(this.stored.attributes, given);
        if (different !== undefined) throw SqsErrors.queueNameExists(different);
        return;
      }
      if (this.stored && now - this.stored.deletedAt < QUEUE_COOLDOWN_MS) throw SqsErrors.queueDeletedRecently();
      const attributes = applyAttributes(defaultAttributes(fifo), given);
      this.save({
        name: args.name,
        accountId: args.accountId,
        region: args.region,
        fifo,
        createdAt: now,
        lastModifiedAt: now,
        attributes,
        tags: { ...args.tags },
        receiptKey: newReceiptKey(),
      });
    });
  }

  exists(): Outcome<void> {
    return this.guard(() => void this.config());
  }

  async deleteQueue(): Promise<Outcome<void>> {
    const live = this.guard(() => void this.config());
    if (!live.ok) return live;
    const deletedAt = this.clock.now();
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    ensureSchema(this.sql);
    this.save({ deletedAt });
    this.receiptKey = undefined;
    this.inFlightBound = undefined;
    this.alarmAt = null;
    this.waiters.wakeAll();
    return ok(undefined);
  }

  getAttributes(names: string[]): Outcome<StringMap> {
    return this.guard(() => {
      const config = this.config();
      for (const name of names) if (name !== "All" && !isKnownAttribute(name)) throw SqsErrors.unknownAttribute(name);
      const all = names.includes("All");
      const wanted = (name: string) => all || names.includes(name);
      const out: StringMap = {};
      const retention = Number(config.attributes.MessageRetentionPeriod);
      if (READ_ONLY.some((name) => name.startsWith("Approximate") && wanted(name))) {
        const counts = countMessages(this.sql, this.clock.now(), retention);
        if (wanted("ApproximateNumberOfMessages")) out.ApproximateNumberOfMessages = String(counts.visible);
        if (wanted("ApproximateNumberOfMessagesNotVisible"))
          out.ApproximateNumberOfMessagesNotVisible = String(counts.notVisible);
        if (wanted("ApproximateNumberOfMessagesDelayed")) out.ApproximateNumberOfMessagesDelayed = String(counts.delayed);
      }
      if (wanted("CreatedTimestamp")) out.CreatedTimestamp = String(Math.floor(config.createdAt / 1000));
      if (wanted("LastModifiedTimestamp")) out.LastModifiedTimestamp = String(Math.floor(config.lastModifiedAt / 1000));
      if (wanted("QueueArn")) out.QueueArn = queueArn(config);
      for (const [name, value] of Object.entries(config.attributes)) if (wanted(name)) out[name] = value;
      return out;
    });
  }

  setAttributes(attributes: StringMap): Outcome<void> {
    return this.guard(() => {
      const config = this.config();
      const updates = validateAttributes(attributes, config.fifo, false);
      config.attributes = applyAttributes(config.attributes, updates);
      config.lastModifiedAt = this.clock.now();
      this.save(config);
      // A shorter retention may expire messages now; a new wait time or delay changes nothing stored.
      this.scheduleAlarm(true);
    });
  }

  purge(): Outcome<void> {
    return this.guard(() => {
      const config = this.config();
      const now = this.clock.now();
      if (config.purgedAt !== undefined && now - config.purgedAt < QUEUE_COOLDOWN_MS) {
        throw SqsErrors.purgeQueueInProgress(config.name);
      }
      this.ctx.storage.transactionSync(() => {
        this.sql.run("DELETE FROM messages WHERE sent_at <= ?", now);
        config.purgedAt = now;
        this.save(config);
      });
      this.inFlightBound = undefined;
      this.scheduleAlarm(true);
    });
  }

  tag(tags: StringMap): Outcome<void> {
    return this.guard(() => {
      const config = this.config();
      config.tags = { ...config.tags, ...tags };
      this.save(config);
    });
  }

  untag(keys: string[]): Outcome<void> {
    return this.guard(() => {
      const config = this.config();
      for (const key of keys) delete config.tags[key];
      this.save(config);
    });
  }

  listTags(): Outcome<StringMap> {
    return this.guard(() => ({ ...this.config().tags }));
  }

  // ---- messages ----------------------------------------------------------------------------

  send(messages: NewMessage[], batch: boolean): Outcome<Outcome<SentMessage>[]> {
    return this.guard(() => {
      const config = this.config();
      const now = this.clock.now();
      const results = this.ctx.storage.transactionSync(() => storeMessages(this.sql, config, now, messages, batch));
      if (results.some((r) => r.ok)) {
        this.scheduleAlarm(false);
        if (this.waiters.size > 0) this.wakeWaiters(now);
      }
      return results;
    });
  }

  async receive(params: ReceiveParams): Promise<Outcome<ReceiveOutcome>> {
    try {
      const config = this.config();
      const now = this.clock.now();
      const visibility = params.visibilityTimeout ?? Number(config.attributes.VisibilityTimeout);
      const retention = Number(config.attributes.MessageRetentionPeriod);
      this.checkInFlightLimit(now, params.maxMessages);
      const picked = this.ctx.storage.transactionSync(() =>
        pickVisibleMessages(this.sql, now, params.maxMessages, visibility, retention),
      );
      if (picked.length > 0) {
        this.inFlightBound = (this.inFlightBound ?? 0) + picked.length;
        const key = await this.key(config);
        const messages = await Promise.all(
          picked.map(async ({ seq, generation, ...message }) => ({
            ...message,
            receiptHandle: await encodeReceiptHandle(key, { seq, generation }),
          })),
        );
        return ok({ messages });
      }
      const waitUntil = params.waitUntil ?? now + (params.waitTimeSeconds ?? Number(config.attributes.ReceiveMessageWaitTimeSeconds)) * 1000;
      if (waitUntil <= now) return ok({ messages: [] });
      const woken = this.waiters.wait(waitUntil - now);
      this.wakeWaiters(now);
      return ok((await woken) ? { messages: [], retryUntil: waitUntil } : { messages: [] });
    } catch (error) {
      return this.failure(error);
    }
  }

  async deleteMessages(handles: string[]): Promise<Outcome<Outcome<void>[]>> {
    try {
      const key = await this.key(this.config());
      const decoded = await Promise.all(handles.map((handle) => decodeReceiptHandle(key, handle)));
      const results = this.ctx.storage.transactionSync(() =>
        decoded.map((parts, i): Outcome<void> => {
          if (!parts) return fail(SqsErrors.receiptHandleIsInvalid(handles[i]!));
          deleteByHandle(this.sql, parts);
          return ok(undefined);
        }),
      );
      return ok(results);
    } catch (error) {
      return this.failure(error);
    }
  }

  async changeVisibility(changes: VisibilityChange[]): Promise<Outcome<Outcome<void>[]>> {
    try {
      const key = await this.key(this.config());
      const decoded = await Promise.all(changes.map((change) => decodeReceiptHandle(key, change.receiptHandle)));
      const now = this.clock.now();
      const results = this.ctx.storage.transactionSync(() =>
        decoded.map((parts, i): Outcome<void> => {
          const change = changes[i]!;
          if (!parts) return fail(SqsErrors.receiptHandleIsInvalid(change.receiptHandle));
          return changeVisibility(this.sql, now, parts, change.receiptHandle, change.visibilityTimeout);
        }),
      );
      if (this.waiters.size > 0) this.wakeWaiters(now);
      return ok(results);
    } catch (error) {
      return this.failure(error);
    }
  }

  /** SQLite rows read and written by this object since it woke (the bench reports them). */
  sqlStats(): SqlStats {
    return { ...this.sql.stats };
  }

  // ---- alarm ---------------------------------------------------------------------------------

  override async alarm(): Promise<void> {
    this.alarmAt = undefined;
    if (!isLive(this.stored)) return;
    const now = this.clock.now();
    deleteExpired(this.sql, now, Number(this.stored.attributes.MessageRetentionPeriod));
    this.scheduleAlarm(true);
    if (this.waiters.size > 0) this.wakeWaiters(now);
  }

  // ---- internals -----------------------------------------------------------------------------

  private config(): QueueConfig {
    if (!isLive(this.stored)) throw SqsErrors.queueDoesNotExist();
    return this.stored;
  }

  private save(stored: Stored): void {
    this.stored = stored;
    this.sql.run(
      "INSERT INTO queue (id, config) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET config = excluded.config",
      JSON.stringify(stored),
    );
  }

  private key(config: QueueConfig): Promise<CryptoKey> {
    this.receiptKey ??= importReceiptKey(config.receiptKey);
    return this.receiptKey;
  }

  /** Standard queues refuse receives once 120,000 messages are in flight (OverLimit). */
  private checkInFlightLimit(now: number, wanted: number): void {
    if (this.inFlightBound !== undefined && this.inFlightBound + wanted <= MAX_IN_FLIGHT_MESSAGES) return;
    this.inFlightBound = countInFlight(this.sql, now, MAX_IN_FLIGHT_MESSAGES);
    if (this.inFlightBound >= MAX_IN_FLIGHT_MESSAGES) {
      throw SqsErrors.overLimit(`Too many messages in flight: the limit of ${MAX_IN_FLIGHT_MESSAGES} is reached.`);
    }
  }

  /** Wakes waiters if a receive would find a message now, else arms a timer for the next one. */
  private wakeWaiters(now: number): void {
    if (!isLive(this.stored)) return this.waiters.wakeAll();
    if (hasVisibleMessage(this.sql, now, Number(this.stored.attributes.MessageRetentionPeriod))) {
      this.waiters.wakeAll();
      return;
    }
    const next = nextVisibleAt(this.sql, now);
    if (next !== undefined) this.waiters.wakeAfter(next - now, now);
  }

  /**
   * One alarm, at the earliest thing due (today: retention expiry). `recompute` forces a fresh
   * look; otherwise an alarm already set stays, since a new message never expires sooner.
   */
  private scheduleAlarm(recompute: boolean): void {
    if (!isLive(this.stored)) return;
    if (!recompute && this.alarmAt) return;
    const due = nextExpiry(this.sql, Number(this.stored.attributes.MessageRetentionPeriod)) ?? null;
    if (due === this.alarmAt) return;
    this.alarmAt = due;
    if (due === null) void this.ctx.storage.deleteAlarm();
    else void this.ctx.storage.setAlarm(due);
  }

  private guard<T>(fn: () => T): Outcome<T> {
    try {
      return ok(fn());
    } catch (error) {
      return this.failure(error);
    }
  }

  private failure(error: unknown): Outcome<never> {
    if (error instanceof SqsError) return fail(error);
    throw error;
  }
}
