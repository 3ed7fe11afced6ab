/**
 * QueueObject: one Durable Object per queue. A thin RPC shell over the operations beside it
 * (send.ts, receive.ts, delete.ts, visibility.ts, purge.ts, dead-letter.ts, move-task.ts,
 * alarm.ts); every method returns an Outcome so expected SQS errors cross the RPC boundary as
 * data. It owns what outlives a request: the message store, the picker, the alarm scheduler,
 * the sequence allocator and the long-poll waiters.
 */
import { DurableObject } from "cloudflare:workers";
import { DEDUPLICATION_WINDOW_MS, fail, ok, SqsError, SqsErrors, type Outcome, type StringMap } from "../../sdk/protocol/index.js";
import { Sql } from "../sql.js";
import { runAlarm } from "./alarm.js";
import { AlarmScheduler } from "./alarm-scheduler.js";
import { systemClock, type Clock } from "./clock.js";
import type { QueueContext, ReceiveState } from "./context.js";
import { countMessages } from "./counts.js";
import { acceptLetters } from "./dead-letter.js";
import { noteDedupScope } from "./dedup.js";
import { deleteMessages } from "./delete.js";
import { createConfig, readAttributes } from "./lifecycle.js";
import { wakeSocket, Waiters } from "./long-poll.js";
import { cancelTask, listTasks, startTask, type MoveTask } from "./move-task.js";
import { addPermission, removePermission } from "./permissions.js";
import { peekMessages } from "./peek.js";
import { pickerFor, type Picker } from "./picker.js";
import { purgeQueue } from "./purge.js";
import { applyAttributes, validateAttributes } from "./queue-attributes.js";
import { bindingPort, type EngineBindings, type QueuePort } from "./queue-port.js";
import { importReceiptKey } from "./receipt-handle.js";
import { receiveMessages } from "./receive.js";
import { MinuteSamples, type MinuteSample } from "./samples.js";
import { ensureSchema } from "./schema.js";
import { SegmentStore } from "./segment-store.js";
import { sendMessages } from "./send.js";
import type { DeadLetter, StoreLettersOptions } from "./message-types.js";
import { SendIds } from "./send-ids.js";
import { SequenceAllocator } from "./sequence.js";
import {
  queueArn,
  type CreateQueueArgs,
  type NewMessage,
  type PeekPage,
  type PeekParams,
  type QueueConfig,
  type QueueSummary,
  type ReceiveOutcome,
  type ReceiveParams,
  type SentMessage,
  type Tombstone,
  type VisibilityChange,
} from "./types.js";
import { changeVisibilities } from "./visibility.js";
import { openWaitSocket } from "./wait-socket.js";
import { deliverable, nextDeliverableAt, wakeLater, wakeWaiters, type WakeSources } from "./waking.js";

type Stored = QueueConfig | Tombstone;
const isLive = (stored: Stored | undefined): stored is QueueConfig => stored !== undefined && "name" in stored;

export class QueueObject extends DurableObject<EngineBindings> {
  /** Replaced by tests (through runInDurableObject) to move time instead of sleeping. */
  clock: Clock = systemClock;
  protected readonly sql: Sql;
  /** Every message of the queue, packed into segments (segment-store.ts, storage.md). */
  protected readonly segments: SegmentStore;
  /** How a receive chooses (picker.ts): chosen once, from the queue's type, when it is first known. */
  private picker: Picker | undefined;
  private readonly waiters = new Waiters(this.ctx);
  /** Caller-chosen ids of recent sends, so a retried send is not stored twice (send-ids.ts). */
  private readonly sendIds = new SendIds(() => this.clock.now());
  private readonly alarms: AlarmScheduler;
  private readonly sequence: SequenceAllocator;
  private readonly samples: MinuteSamples;
  private stored: Stored | undefined;
  private receiptKey: Promise<CryptoKey> | undefined;
  /** The in-flight bound (receive.ts), reset here when the queue changes under it. */
  private readonly receiving: ReceiveState = { inFlightBound: undefined };

  constructor(ctx: DurableObjectState, env: EngineBindings) {
    super(ctx, env);
    this.sql = new Sql(ctx.storage.sql);
    this.segments = new SegmentStore(this.sql, (fn) => ctx.storage.transactionSync(fn));
    this.segments.attachSendIds(this.sendIds);
    this.alarms = new AlarmScheduler(ctx.storage, this.sql);
    this.sequence = new SequenceAllocator(this.sql);
    this.samples = new MinuteSamples(this.sql);
    ctx.blockConcurrencyWhile(async () => this.wake());
  }

  /** What a fresh instance knows: only what storage holds (leases and caches start empty). */
  protected wake(): void {
    ensureSchema(this.sql);
    const row = this.sql.one<{ config: string }>("SELECT config FROM queue WHERE id = 1");
    this.stored = row ? (JSON.parse(row.config) as Stored) : undefined;
    this.segments.reset();
    // The picker's index is built while the segments load, so it is chosen first.
    this.picker = isLive(this.stored) ? pickerFor(this.stored.fifo, this.segments) : undefined;
    this.segments.load();
    this.sequence.load(this.segments.highestSeq);
    this.receiving.inFlightBound = undefined;
    this.alarms.reset(this.clock.now());
  }

  // ---- queue lifecycle -------------------------------------------------------------------

  create(args: CreateQueueArgs): Outcome<void> {
    return this.guard(() => {
      const config = createConfig(this.stored, args, this.clock.now());
      if (!config) return;
      this.save(config);
      // A queue's type never changes (it is in its name, and so in the object's): chosen once.
      this.picker ??= pickerFor(config.fifo, this.segments);
    });
  }

  exists(): Outcome<void> {
    return this.guard(() => void this.config());
  }

  /** Identity and settings another queue needs (redrive checks, move tasks). */
  describe(): Outcome<QueueSummary> {
    return this.guard(() => {
      const config = this.config();
      return { name: config.name, fifo: config.fifo, arn: queueArn(config), attributes: { ...config.attributes } };
    });
  }

  async deleteQueue(): Promise<Outcome<void>> {
    const live = this.guard(() => void this.config());
    if (!live.ok) return live;
    const deletedAt = this.clock.now();
    await this.alarms.clear();
    await this.ctx.storage.deleteAll();
    this.segments.reset();
    this.samples.reset();
    ensureSchema(this.sql);
    this.save({ deletedAt });
    this.receiptKey = undefined;
    this.receiving.inFlightBound = undefined;
    this.waiters.wakeAll();
    return ok(undefined);
  }

  getAttributes(names: string[]): Outcome<StringMap> {
    return this.guard(() => {
      const config = this.config();
      const retention = Number(config.attributes.MessageRetentionPeriod);
      return readAttributes(config, names, () => countMessages(this.stores(), this.clock.now(), retention));
    });
  }

  setAttributes(attributes: StringMap): Outcome<void> {
    return this.guard(() => {
      const config = this.config();
      config.attributes = applyAttributes(config.attributes, validateAttributes(attributes, config.fifo, false));
      noteDedupScope(config);
      this.save(config, true);
      // A shorter retention may expire messages now; a new wait time or delay changes nothing stored.
      this.scheduleAlarm();
    });
  }

  purge(): Outcome<void> {
    return this.guard(() => {
      purgeQueue(this.operations(), this.config(), (config) => this.save(config));
      this.scheduleAlarm();
    });
  }

  /** AddPermission (Label, accounts and actions already validated by the Worker). */
  addPermission(label: string, accountIds: string[], actions: string[]): Outcome<void> {
    return this.guard(() => {
      const config = this.config();
      this.savePolicy(config, addPermission(config.attributes.Policy, queueArn(config), label, accountIds, actions));
    });
  }

  removePermission(label: string): Outcome<void> {
    return this.guard(() => {
      const config = this.config();
      this.savePolicy(config, removePermission(config.attributes.Policy, queueArn(config), label));
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

  async send(messages: NewMessage[], batch: boolean): Promise<Outcome<Outcome<SentMessage>[]>> {
    return this.guardAsync(async () => {
      const config = this.config();
      this.rollSamples(config);
      const results = await sendMessages(this.operations(), config, messages, batch);
      if (results.some((r) => r.ok)) this.arrived(config, false);
      this.samples.count(this.clock.now(), "sent", results.filter((r) => r.ok).length);
      return results;
    });
  }

  receive(params: ReceiveParams): Promise<Outcome<ReceiveOutcome>> {
    return this.guardAsync(async () => {
      const config = this.config();
      this.rollSamples(config);
      const outcome = await receiveMessages(this.operations(), config, params);
      this.samples.count(this.clock.now(), "received", outcome.messages.length);
      return outcome;
    });
  }

  deleteMessages(handles: string[]): Promise<Outcome<Outcome<void>[]>> {
    return this.guardAsync(async () => {
      const config = this.config();
      this.rollSamples(config);
      const results = await deleteMessages(this.operations(), config, handles);
      this.samples.count(this.clock.now(), "deleted", results.filter((r) => r.ok).length);
      return results;
    });
  }

  /** The per-minute samples of the last hours (samples.ts), the current minute last. */
  minuteSamples(): Outcome<MinuteSample[]> {
    return this.guard(() => {
      const config = this.config();
      const now = this.clock.now();
      return this.samples.read(now, countMessages(this.stores(), now, Number(config.attributes.MessageRetentionPeriod)));
    });
  }

  changeVisibility(changes: VisibilityChange[]): Promise<Outcome<Outcome<void>[]>> {
    return this.guardAsync(() => changeVisibilities(this.operations(), this.config(), changes));
  }

  /** A page of messages as they are, changing none (peek.ts): the console's message view. */
  peek(params: PeekParams): Outcome<PeekPage> {
    return this.guard(() => {
      const config = this.config();
      return peekMessages(this.stores(), this.clock.now(), Number(config.attributes.MessageRetentionPeriod), params);
    });
  }

  /** Dead letters (or redriven messages) arriving from another queue. */
  async acceptLetters(letters: DeadLetter[], options: StoreLettersOptions): Promise<Outcome<number>> {
    return this.guard(() => {
      const config = this.config();
      const stored = acceptLetters(this.operations(), config, letters, options);
      // Dead letters keep their age, so one may expire before anything already scheduled.
      if (stored > 0) this.arrived(config, true);
      return stored;
    });
  }

  // ---- message move tasks ------------------------------------------------------------------

  startMoveTask(destinationArn: string | undefined, rate: number | undefined): Outcome<string> {
    return this.guard(() => {
      this.config();
      const taskId = startTask(this.stores(), this.clock.now(), destinationArn, rate);
      this.alarms.now();
      return taskId;
    });
  }

  cancelMoveTask(taskId: string): Outcome<number> {
    return this.guard(() => (this.config(), cancelTask(this.sql, taskId)));
  }

  listMoveTasks(max: number): Outcome<MoveTask[]> {
    return this.guard(() => (this.config(), listTasks(this.sql, max)));
  }

  // ---- long-poll waiters (long-poll.ts) and the alarm ------------------------------------------

  /** The internal endpoint only: a waiter's socket (wait-socket.ts), parked hibernatable. */
  override async fetch(request: Request): Promise<Response> {
    const opening = openWaitSocket(request);
    if (!opening.ok) return opening.response;
    if (!isLive(this.stored)) return new Response("queue does not exist", { status: 404 });
    this.waiters.park(opening.server);
    // A message may have come between the Worker's empty receive and this socket: wake it now.
    const now = this.clock.now();
    if (deliverable(this.wakeSources(), now)) wakeSocket(opening.server);
    else wakeLater(this.wakeSources(), now);
    return new Response(null, { status: 101, webSocket: opening.client });
  }

  /** Waiters say nothing; a frame from one is ignored. */
  override webSocketMessage(): void {}

  override webSocketClose(socket: WebSocket, code: number, reason: string): void {
    // Completes the closing handshake where the runtime does not reply to a close by itself.
    try {
      socket.close(code, reason);
    } catch {
      // already closed
    }
  }

  override async alarm(): Promise<void> {
    this.alarms.fired();
    if (!isLive(this.stored)) return;
    await runAlarm(this.operations(), this.stored, (now) => this.alarms.sweepDue(now));
    this.scheduleAlarm();
    if (this.waiters.size > 0) wakeWaiters(this.wakeSources(), this.clock.now());
  }

  // ---- internals -----------------------------------------------------------------------------

  private config(): QueueConfig {
    if (!isLive(this.stored)) throw SqsErrors.queueDoesNotExist();
    return this.stored;
  }

  private save(stored: Stored, modified = false): void {
    if (modified && isLive(stored)) stored.lastModifiedAt = this.clock.now();
    this.stored = stored;
    this.sql.run(
      "INSERT INTO queue (id, config) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET config = excluded.config",
      JSON.stringify(stored),
    );
  }

  private savePolicy(config: QueueConfig, policy: string | undefined): void {
    if (policy === undefined) delete config.attributes.Policy;
    else config.attributes.Policy = policy;
    this.save(config, true);
  }

  /** Before a send, receive or delete: a new minute stores the last one's sample. */
  private rollSamples(config: QueueConfig): void {
    const now = this.clock.now();
    this.samples.roll(now, () => countMessages(this.stores(), now, Number(config.attributes.MessageRetentionPeriod)));
  }

  /** Messages arrived: the alarm (a FIFO send's deduplication window, else retention) and the waiters. */
  private arrived(config: QueueConfig, keepAge: boolean): void {
    const now = this.clock.now();
    const due = config.fifo ? now + DEDUPLICATION_WINDOW_MS : now + Number(config.attributes.MessageRetentionPeriod) * 1000;
    this.scheduleAlarm(keepAge ? undefined : due);
    if (this.waiters.size > 0) wakeWaiters(this.wakeSources(), now);
  }

  private scheduleAlarm(candidate?: number): void {
    if (!isLive(this.stored)) return;
    const now = this.clock.now();
    const parkedWakeAt = () => (this.waiters.parked ? (nextDeliverableAt(this.wakeSources(), now) ?? Infinity) : undefined);
    this.alarms.schedule({ stores: this.stores(), config: this.stored, now, parkedWakeAt }, candidate);
  }

  /** How this queue reaches other queues (dead-letter moves, move tasks). */
  protected queuePort(): QueuePort {
    return bindingPort(this.env.QUEUE);
  }

  private stores() {
    return { sql: this.sql, segments: this.segments, sendIds: this.sendIds };
  }

  private wakeSources(): WakeSources {
    return {
      config: isLive(this.stored) ? this.stored : undefined,
      picker: this.picker,
      waiters: this.waiters,
      alarmBy: (at) => this.scheduleAlarm(at),
    };
  }

  private operations(): QueueContext {
    return {
      sql: this.sql,
      stores: this.stores(),
      // Moves between queues and the alarm write through: a claim must be stored before its copy leaves.
      transaction: (fn) =>
        this.ctx.storage.transactionSync(() => {
          const result = fn();
          this.segments.flush();
          return result;
        }),
      transactionSync: (fn) => this.ctx.storage.transactionSync(fn),
      nextSeq: (now) => this.sequence.next(now),
      clock: this.clock,
      queues: this.queuePort(),
      wake: (at) => this.scheduleAlarm(at),
      state: this.receiving,
      picker: this.picker!,
      receiptKey: (config) => (this.receiptKey ??= importReceiptKey(config.receiptKey)),
      waiters: this.waiters,
      wakeWaiters: (now) => wakeWaiters(this.wakeSources(), now),
    };
  }

  private guard<T>(fn: () => T): Outcome<T> {
    try {
      return ok(fn());
    } catch (error) {
      return this.failure(error);
    }
  }

  private async guardAsync<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
    try {
      return ok(await fn());
    } catch (error) {
      return this.failure(error);
    }
  }

  private failure(error: unknown): Outcome<never> {
    if (error instanceof SqsError) return fail(error);
    throw error;
  }
}
