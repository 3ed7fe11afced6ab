/**
 * QueueObject: one Durable Object per queue. A thin RPC shell over the plain functions beside
 * it; every method returns an Outcome so expected SQS errors cross the RPC boundary as data.
 */
import { DurableObject } from "cloudflare:workers";
import {
  fail,
  ok,
  DEDUPLICATION_WINDOW_MS,
  QUEUE_COOLDOWN_MS,
  SqsError,
  SqsErrors,
  type Outcome,
  type StringMap,
} from "../../sdk/protocol/index.js";
import { systemClock, type Clock } from "./clock.js";
import { countMessages } from "./counts.js";
import { deleteByHandle } from "./delete.js";
import { wakeSocket, Waiters } from "./long-poll.js";
import {
  applyAttributes,
  validateAttributes,
} from "./queue-attributes.js";
import type { MessageStores } from "./message-state.js";
import { pickerFor, type Picker } from "./picker.js";
import { receiveMessages, type ReceiveContext, type ReceiveState } from "./receive-flow.js";
import { storeLetters, type DeadLetter, type StoreLettersOptions } from "./dead-letter.js";
import { addPermission, removePermission } from "./permissions.js";
import { retryDeadLetterMoves, stepMoveTask, type TransferContext } from "./transfer.js";
import {
  activeTask,
  cancelTask,
  listTasks,
  MOVE_STEP_MS,
  startTask,
  type MoveTask,
} from "./move-task.js";
import { bindingPort, type EngineBindings, type QueuePort } from "./queue-port.js";
import { decodeReceiptHandle, importReceiptKey } from "./receipt-handle.js";
import { clearDeduplication, noteDedupScope, DEDUP_SWEEP_MS, deleteExpiredDedup, hasFifoDedup, nextDedupExpiry } from "./dedup.js";
import { deleteExpired, nextExpiry } from "./retention.js";
import { createConfig, readAttributes } from "./lifecycle.js";
import { ensureSchema } from "./schema.js";
import { SegmentStore } from "./segment-store.js";
import { checkFifoRequest, storeMessages, type IncomingMessage } from "./send.js";
import { SendIds } from "./send-ids.js";
import { Sql } from "./sql.js";
import {
  queueArn,
  type CreateQueueArgs,
  type NewMessage,
  type QueueConfig,
  type QueueSummary,
  type ReceiveOutcome,
  type ReceiveParams,
  type SentMessage,
  type Tombstone,
  type VisibilityChange,
} from "./types.js";
import { changeVisibility } from "./visibility.js";
import { openWaitSocket } from "./wait-socket.js";

type Stored = QueueConfig | Tombstone;
/** How far ahead of the last seq a reservation reaches: a minute of seqs (they count microseconds). */
const SEQ_RESERVE = 60_000_000;
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
  private stored: Stored | undefined;
  private receiptKey: Promise<CryptoKey> | undefined;
  /** In-flight bound and fair mode (receive-flow.ts), reset here when the queue changes under them. */
  private readonly receiving: ReceiveState = { inFlightBound: undefined };
  /** The alarm time we last set, so a send does not rewrite an alarm that is already early enough. */
  private alarmAt: number | null | undefined;
  /** When the alarm last swept expired FIFO deduplication records (dedup.ts: at most once a minute). */
  private dedupSweptAt = -Infinity;
  /** Last sequence number handed out; message seqs (and FIFO SequenceNumbers) strictly increase. */
  private lastSeq = 0;
  /** Highest seq reserved in storage (see nextSeq). */
  private reservedSeq = 0;

  constructor(ctx: DurableObjectState, env: EngineBindings) {
    super(ctx, env);
    this.sql = new Sql(ctx.storage.sql);
    this.segments = new SegmentStore(this.sql, (fn) => ctx.storage.transactionSync(fn));
    this.segments.attachSendIds(this.sendIds);
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
    this.reservedSeq = Number(this.sql.one<{ r: number }>("SELECT reserved AS r FROM sequence_reserve WHERE id = 1")?.r ?? 0);
    this.lastSeq = Math.max(this.segments.highestSeq, this.reservedSeq);
    this.receiving.inFlightBound = undefined;
    this.alarmAt = undefined;
    this.dedupSweptAt = this.clock.now();
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
    await this.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.segments.reset();
    ensureSchema(this.sql);
    this.save({ deletedAt });
    this.receiptKey = undefined;
    this.receiving.inFlightBound = undefined;
    this.alarmAt = null;
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
      const updates = validateAttributes(attributes, config.fifo, false);
      config.attributes = applyAttributes(config.attributes, updates);
      noteDedupScope(config);
      config.lastModifiedAt = this.clock.now();
      this.save(config);
      // A shorter retention may expire messages now; a new wait time or delay changes nothing stored.
      this.scheduleAlarm();
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
        this.segments.clear();
        this.segments.flush();
        if (config.fifo) clearDeduplication(this.sql);
        config.purgedAt = now;
        this.save(config);
      });
      this.receiving.inFlightBound = undefined;
      this.scheduleAlarm();
    });
  }

  /** AddPermission (Label, accounts and actions already validated by the Worker). */
  addPermission(label: string, accountIds: string[], actions: string[]): Outcome<void> {
    return this.guard(() => {
      const config = this.config();
      const policy = addPermission(config.attributes.Policy, queueArn(config), label, accountIds, actions);
      this.updatePolicy(config, policy);
    });
  }

  removePermission(label: string): Outcome<void> {
    return this.guard(() => {
      const config = this.config();
      this.updatePolicy(config, removePermission(config.attributes.Policy, queueArn(config), label));
    });
  }

  private updatePolicy(config: QueueConfig, policy: string | undefined): void {
    if (policy === undefined) delete config.attributes.Policy;
    else config.attributes.Policy = policy;
    config.lastModifiedAt = this.clock.now();
    this.save(config);
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
    try {
      const config = this.config();
      checkFifoRequest(config, messages, batch);
      const incoming: IncomingMessage[] = await Promise.all(
        messages.map(async (m) =>
          // ContentBasedDeduplication: the deduplication id is the SHA-256 of the body.
          config.fifo && m.dedupId === undefined ? { ...m, contentDedupId: await sha256Hex(m.body) } : m,
        ),
      );
      const now = this.clock.now();
      const results = this.ctx.storage.transactionSync(() => {
        const stored = storeMessages(this.stores(), config, now, incoming, batch, () => this.nextSeq(now));
        // A FIFO send writes its deduplication records now, so its messages go in the same
        // transaction: a record must never outlive a message lost in a crash, or a retried send
        // would be answered with the original's MessageId while nothing was stored.
        if (config.fifo) this.segments.flush();
        return stored;
      });
      // Acknowledged only once stored: this commit is shared with whatever else arrived meanwhile.
      await this.segments.commit();
      if (results.some((r) => r.ok)) {
        const retention = Number(config.attributes.MessageRetentionPeriod) * 1000;
        this.scheduleAlarm(config.fifo ? now + DEDUPLICATION_WINDOW_MS : now + retention);
        if (this.waiters.size > 0) this.wakeWaiters(now);
      }
      return ok(results);
    } catch (error) {
      return this.failure(error);
    }
  }

  async receive(params: ReceiveParams): Promise<Outcome<ReceiveOutcome>> {
    try {
      const config = this.config();
      return ok(await receiveMessages(this.receiveContext(), config, params));
    } catch (error) {
      return this.failure(error);
    }
  }

  async deleteMessages(handles: string[]): Promise<Outcome<Outcome<void>[]>> {
    try {
      const config = this.config();
      const key = await this.key(config);
      const decoded = await Promise.all(handles.map((handle) => decodeReceiptHandle(key, handle)));
      const now = this.clock.now();
      const results = this.ctx.storage.transactionSync(() =>
        decoded.map((parts, i): Outcome<void> => {
          if (!parts) return fail(SqsErrors.receiptHandleIsInvalid(handles[i]!));
          return deleteByHandle(this.stores(), config.fifo, now, parts, handles[i]!);
        }),
      );
      await this.segments.commit();
      if (config.fifo && this.waiters.size > 0) this.wakeWaiters(now);
      return ok(results);
    } catch (error) {
      return this.failure(error);
    }
  }

  async changeVisibility(changes: VisibilityChange[]): Promise<Outcome<Outcome<void>[]>> {
    try {
      const config = this.config();
      const key = await this.key(config);
      const decoded = await Promise.all(changes.map((change) => decodeReceiptHandle(key, change.receiptHandle)));
      const now = this.clock.now();
      const results = this.ctx.storage.transactionSync(() =>
        decoded.map((parts, i): Outcome<void> => {
          const change = changes[i]!;
          if (!parts) return fail(SqsErrors.receiptHandleIsInvalid(change.receiptHandle));
          return changeVisibility(this.stores(), config.fifo, now, parts, change.receiptHandle, change.visibilityTimeout);
        }),
      );
      await this.segments.commit();
      if (this.waiters.size > 0) this.wakeWaiters(now);
      return ok(results);
    } catch (error) {
      return this.failure(error);
    }
  }

  // ---- message move tasks ------------------------------------------------------------------

  startMoveTask(destinationArn: string | undefined, rate: number | undefined): Outcome<string> {
    return this.guard(() => {
      this.config();
      const taskId = startTask(this.stores(), this.clock.now(), destinationArn, rate);
      this.alarmAt = undefined;
      void this.setAlarm(Date.now());
      return taskId;
    });
  }

  cancelMoveTask(taskId: string): Outcome<number> {
    return this.guard(() => {
      this.config();
      return cancelTask(this.sql, taskId);
    });
  }

  listMoveTasks(max: number): Outcome<MoveTask[]> {
    return this.guard(() => {
      this.config();
      return listTasks(this.sql, max);
    });
  }

  // ---- long-poll waiters (long-poll.ts) ------------------------------------------------------

  /** The internal endpoint only: a waiter's socket (wait-socket.ts), parked hibernatable. */
  override async fetch(request: Request): Promise<Response> {
    const opening = openWaitSocket(request);
    if (!opening.ok) return opening.response;
    if (!isLive(this.stored)) return new Response("queue does not exist", { status: 404 });
    this.waiters.park(opening.server);
    // A message may have come between the Worker's empty receive and this socket: wake it now.
    const now = this.clock.now();
    if (this.deliverable(now)) wakeSocket(opening.server);
    else this.wakeLater(now);
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

  // ---- alarm ---------------------------------------------------------------------------------

  override async alarm(): Promise<void> {
    this.alarmAt = undefined;
    if (!isLive(this.stored)) return;
    const config = this.stored;
    // Before the dedup table is cleaned: it holds the pending moves whose lease ran out.
    await retryDeadLetterMoves(this.transfers(), config);
    const now = this.clock.now();
    this.ctx.storage.transactionSync(() => {
      deleteExpired(this.stores(), now, Number(config.attributes.MessageRetentionPeriod));
      const sweep = now >= this.dedupSweptAt + DEDUP_SWEEP_MS;
      deleteExpiredDedup(this.sql, now, sweep);
      if (sweep) this.dedupSweptAt = now;
      this.segments.flush();
    });
    await stepMoveTask(this.transfers(), config);
    this.scheduleAlarm();
    if (this.waiters.size > 0) this.wakeWaiters(this.clock.now());
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

  /** Wakes waiters if a receive would find a message now, else arranges their wake for the next one. */
  private wakeWaiters(now: number): void {
    if (!isLive(this.stored) || this.deliverable(now)) return this.waiters.wakeAll();
    this.wakeLater(now);
  }

  /** Whether a receive would find a message now. */
  private deliverable(now: number): boolean {
    if (!isLive(this.stored) || !this.picker) return false;
    return this.picker.deliverable(now, now - Number(this.stored.attributes.MessageRetentionPeriod) * 1000);
  }

  /** When a message next becomes deliverable (a delay or visibility timeout ends), if ever. */
  private nextDeliverableAt(now: number): number | undefined {
    if (!isLive(this.stored) || !this.picker) return undefined;
    return this.picker.nextDeliverableAt(now);
  }

  /**
   * Wakes the waiters when the next message becomes deliverable: RPC waiters by their timer,
   * parked sockets by the alarm, which survives hibernation (scheduleAlarm includes that time).
   */
  private wakeLater(now: number): void {
    const next = this.nextDeliverableAt(now);
    if (next === undefined) return;
    this.waiters.wakeAfter(next - now, now);
    if (this.waiters.parked) this.scheduleAlarm(next);
  }

  /**
   * One alarm, at the earliest thing due: retention expiry, the end of a deduplication or
   * receive-attempt window. With a `candidate` (the due time a write just created) an alarm
   * already set at or before it is left alone, so most sends write no alarm.
   */
  private scheduleAlarm(candidate?: number): void {
    if (!isLive(this.stored)) return;
    if (candidate !== undefined && this.alarmAt != null && this.alarmAt <= candidate) return;
    const times = [nextExpiry(this.stores(), Number(this.stored.attributes.MessageRetentionPeriod)), nextDedupExpiry(this.sql)];
    // A running move task steps once a second (real time: it paces real deliveries).
    if (activeTask(this.sql)) times.push(Date.now() + MOVE_STEP_MS);
    // FIFO deduplication records are swept once a minute while there are any (dedup.ts).
    if (this.stored.fifo && hasFifoDedup(this.sql)) times.push(Math.max(this.dedupSweptAt + DEDUP_SWEEP_MS, this.clock.now()));
    // Parked long polls are woken by the alarm when a delayed or in-flight message becomes visible.
    if (this.waiters.parked) times.push(this.nextDeliverableAt(this.clock.now()) ?? Infinity);
    const due = Math.min(...times.filter((t): t is number => t !== undefined));
    const next = Number.isFinite(due) ? due : null;
    if (next === this.alarmAt) return;
    this.alarmAt = next;
    if (next === null) void this.deleteAlarm();
    else void this.setAlarm(next);
  }

  /** Cloudflare bills every setAlarm() and deleteAlarm() as a row written: counted with the SQL rows. */
  private setAlarm(at: number): Promise<void> {
    this.sql.countAlarmWrite();
    return this.ctx.storage.setAlarm(at);
  }

  private deleteAlarm(): Promise<void> {
    this.sql.countAlarmWrite();
    return this.ctx.storage.deleteAlarm();
  }

  /** How this queue reaches other queues (dead-letter moves, move tasks). */
  protected queuePort(): QueuePort {
    return bindingPort(this.env.QUEUE);
  }

  /**
   * Message seqs (and so FIFO SequenceNumbers) strictly increase for the queue's whole life:
   * time-based, so they keep growing after the queue empties, and never below a high-water
   * mark kept in storage, so a restart (or a clock that went back) cannot reissue one. The mark
   * is reserved SEQ_RESERVE ahead, costing one row write per reservation, not per message.
   */
  private nextSeq(now: number): number {
    this.lastSeq = Math.max(this.lastSeq + 1, now * 1000);
    if (this.lastSeq > this.reservedSeq) {
      this.reservedSeq = this.lastSeq + SEQ_RESERVE;
      this.sql.run(
        "INSERT INTO sequence_reserve (id, reserved) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET reserved = excluded.reserved",
        this.reservedSeq,
      );
    }
    return this.lastSeq;
  }

  private stores(): MessageStores {
    return { sql: this.sql, segments: this.segments, sendIds: this.sendIds };
  }

  private transfers(): TransferContext {
    return {
      sql: this.sql,
      stores: this.stores(),
      // Moves between queues write through: a claim must be stored before its copy leaves.
      transaction: (fn) =>
        this.ctx.storage.transactionSync(() => {
          const result = fn();
          this.segments.flush();
          return result;
        }),
      clock: this.clock,
      queues: this.queuePort(),
      wake: (at) => this.scheduleAlarm(at),
    };
  }

  private receiveContext(): ReceiveContext {
    return {
      ...this.transfers(),
      state: this.receiving,
      picker: this.picker!,
      receiptKey: (config) => this.key(config),
      waiters: this.waiters,
      wakeWaiters: (now) => this.wakeWaiters(now),
    };
  }

  /** Dead letters (or redriven messages) arriving from another queue. */
  async acceptLetters(letters: DeadLetter[], options: StoreLettersOptions): Promise<Outcome<number>> {
    return this.guard(() => {
      const config = this.config();
      // A FIFO queue's dead letters can only go to a FIFO queue, and standard to standard.
      if (options.fifo !== config.fifo) {
        throw SqsErrors.invalidParameterValue("Dead-letter target queue must be of the same type as the source queue.");
      }
      const now = this.clock.now();
      const stored = this.ctx.storage.transactionSync(() =>
        {
          const stored = storeLetters(this.stores(), config, now, letters, options, () => this.nextSeq(now));
          this.segments.flush();
          return stored;
        },
      );
      if (stored > 0) {
        // Dead letters keep their age, so one may expire before anything already scheduled.
        this.scheduleAlarm();
        if (this.waiters.size > 0) this.wakeWaiters(now);
      }
      return stored;
    });
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

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

