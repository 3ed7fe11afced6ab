/**
 * QueueObject: one Durable Object per queue, a thin RPC shell. Each method hands its request to
 * an operation (send.ts, receive.ts, delete.ts, visibility.ts, purge.ts, dead-letter.ts,
 * move-task.ts, lifecycle.ts, permissions.ts) with what queue-engine.ts keeps between requests,
 * and returns an Outcome, so expected SQS errors cross the RPC boundary as data.
 */
import { DurableObject } from "cloudflare:workers";
import { ok, SqsErrors, type Outcome, type StringMap } from "../../sdk/protocol/index.js";
import { guard, guardAsync } from "../outcome-guard.js";
import type { Clock } from "./clock.js";
import { countMessages } from "./counts.js";
import { acceptLetters } from "./dead-letter.js";
import { noteDedupScope } from "./dedup.js";
import { deleteMessages } from "./delete.js";
import { FairGroups } from "./fair-groups.js";
import { createConfig, describeQueue, readAttributes } from "./lifecycle.js";
import type { DeadLetter, StoreLettersOptions } from "./message-types.js";
import { cancelTask, listTasks, startTask, type MoveTask } from "./move-task.js";
import { addPermission, removePermission } from "./permissions.js";
import { peekMessages } from "./peek.js";
import { purgeQueue } from "./purge.js";
import { applyAttributes, validateAttributes } from "./queue-attributes.js";
import { QueueEngine } from "./queue-engine.js";
import { partitionIndexOf } from "./partition-objects.js";
import { bindingPort, type EngineBindings, type QueuePort } from "./queue-port.js";
import { receiveMessages } from "./receive.js";
import type { MinuteSample } from "./samples.js";
import { sendMessages } from "./send.js";
import { acceptLettersIfPresent, acceptLettersPlaced, sendIfPresent, sendPlaced } from "./placed-sends.js";
import {
  isLive,
  knownPartitionCount,
  queueArn,
  type CreateQueueArgs,
  type GroupRouting,
  type IfPresentAnswer,
  type NewMessage,
  type PeekPage,
  type PeekParams,
  type QueueConfig,
  type QueueSummary,
  type ReceiveOutcome,
  type ReceiveParams,
  type SentMessage,
  type VisibilityChange,
} from "./types.js";
import { changeVisibilities } from "./visibility.js";
import { OUTCOME_HEADER, openWaitSocket, receiveParamsOf } from "./wait-socket.js";
import { EMPTY, framePartition } from "./long-poll.js";

export class QueueObject extends DurableObject<EngineBindings> {
  protected readonly engine: QueueEngine;

  constructor(ctx: DurableObjectState, env: EngineBindings) {
    super(ctx, env);
    this.engine = new QueueEngine(
      ctx,
      this.queuePort(),
      (config) => partitionIndexOf(ctx.id, env.QUEUE, config.accountId, config.name),
      env.QUEUE,
    );
    ctx.blockConcurrencyWhile(async () => this.engine.wake());
  }

  /** Tests (through runInDurableObject) move time instead of sleeping. A setter only: RPC reads nothing here. */
  set clock(clock: Clock) {
    this.engine.clock.source = clock;
  }

  // ---- queue lifecycle -------------------------------------------------------------------

  /** Answers whether the queue was made now (false: it existed with equal attributes). */
  create(args: CreateQueueArgs): Outcome<boolean> {
    return guard(() => {
      if (this.engine.unavailable) throw this.engine.unavailable;
      const config = createConfig(this.engine.stored, args, this.engine.clock.now());
      if (config) this.engine.created(config);
      return config !== undefined;
    });
  }

  exists(): Outcome<void> {
    return guard(() => void this.config());
  }

  /** Identity and settings another queue needs (redrive checks, move tasks). */
  describe(): Outcome<QueueSummary> {
    return guard(() => describeQueue(this.config()));
  }

  async deleteQueue(): Promise<Outcome<void>> {
    return guardAsync(async () => (this.config(), await this.engine.deleteQueue()));
  }

  getAttributes(names: string[]): Outcome<StringMap> {
    return guard(() => {
      const config = this.config();
      const retention = Number(config.attributes.MessageRetentionPeriod);
      return readAttributes(config, names, () => countMessages(this.engine.stores(), this.engine.clock.now(), retention));
    });
  }

  setAttributes(attributes: StringMap): Outcome<void> {
    return guard(() => {
      const config = this.config();
      const updates = validateAttributes(attributes, config.fifo, false);
      // Before and after: a queue stored before the mark existed is marked by what it did until now.
      noteDedupScope(config);
      config.attributes = applyAttributes(config.attributes, updates);
      noteDedupScope(config);
      this.engine.save(config, true);
      // A shorter retention may expire messages now; a new wait time or delay changes nothing stored.
      this.engine.scheduleAlarm();
    });
  }

  purge(): Outcome<void> {
    return guard(() => {
      purgeQueue(this.engine.context, this.config(), (config) => this.engine.save(config));
      this.engine.scheduleAlarm();
    });
  }

  /** AddPermission (Label, accounts and actions already validated by the Worker). */
  addPermission(label: string, accountIds: string[], actions: string[]): Outcome<void> {
    return guard(() => {
      const config = this.config();
      this.engine.savePolicy(config, addPermission(config.attributes.Policy, queueArn(config), label, accountIds, actions));
    });
  }

  removePermission(label: string): Outcome<void> {
    return guard(() => {
      const config = this.config();
      this.engine.savePolicy(config, removePermission(config.attributes.Policy, queueArn(config), label));
    });
  }

  tag(tags: StringMap): Outcome<void> {
    return guard(() => {
      const config = this.config();
      config.tags = { ...config.tags, ...tags };
      this.engine.save(config);
    });
  }

  untag(keys: string[]): Outcome<void> {
    return guard(() => {
      const config = this.config();
      for (const key of keys) delete config.tags[key];
      this.engine.save(config);
    });
  }

  listTags(): Outcome<StringMap> {
    return guard(() => ({ ...this.config().tags }));
  }

  // ---- messages ----------------------------------------------------------------------------

  async send(messages: NewMessage[], batch: boolean): Promise<Outcome<Outcome<SentMessage>[]>> {
    return guardAsync(async () => {
      const config = this.config();
      this.engine.rollSamples(config);
      const routing = config.fifo ? config.groupRouting : undefined;
      const results = routing
        ? await sendPlaced(this.engine.context, config, routing, messages, batch)
        : await sendMessages(this.engine.context, config, messages, batch);
      if (results.some((r) => r.ok)) this.engine.arrived(config, false);
      this.engine.samples.count(this.engine.clock.now(), "sent", results.filter((r) => r.ok).length);
      return results;
    });
  }

  receive(params: ReceiveParams): Promise<Outcome<ReceiveOutcome>> {
    return this.receiveNow(params);
  }

  deleteMessages(handles: string[]): Promise<Outcome<Outcome<void>[]>> {
    return guardAsync(async () => {
      const config = this.config();
      this.engine.rollSamples(config);
      const results = await deleteMessages(this.engine.context, config, handles);
      this.engine.samples.count(this.engine.clock.now(), "deleted", results.filter((r) => r.ok).length);
      return results;
    });
  }

  /** A page of messages as they are, changing none (peek.ts): the console's message view. */
  peek(params: PeekParams): Outcome<PeekPage> {
    return guard(() => {
      const config = this.config();
      return peekMessages(this.engine.stores(), this.engine.clock.now(), Number(config.attributes.MessageRetentionPeriod), params);
    });
  }

  /** The per-minute samples of the last hours (samples.ts), the current minute last. */
  minuteSamples(): Outcome<MinuteSample[]> {
    return guard(() => this.engine.samples.read(this.engine.clock.now(), this.engine.depth(this.config())));
  }

  changeVisibility(changes: VisibilityChange[]): Promise<Outcome<Outcome<void>[]>> {
    return guardAsync(async () => {
      const config = this.config();
      const results = await changeVisibilities(this.engine.context, config, changes);
      // A timeout of 0 makes a message deliverable now: the hub hears of it (partition-notices.ts).
      this.engine.observe(config);
      return results;
    });
  }

  /** Dead letters (or redriven messages) arriving from another queue. */
  async acceptLetters(letters: DeadLetter[], options: StoreLettersOptions): Promise<Outcome<number>> {
    return guardAsync(async () => {
      const config = this.config();
      const routing = config.fifo && options.fifo ? config.groupRouting : undefined;
      const stored = routing
        ? await acceptLettersPlaced(this.engine.context, config, routing, letters, options)
        : acceptLetters(this.engine.context, config, letters, options);
      // Dead letters keep their age, so one may expire before anything already scheduled.
      if (stored > 0) this.engine.arrived(config, true);
      return stored;
    });
  }

  // ---- a raised high-throughput FIFO queue's partitions (group-homes.ts) ------------------

  /**
   * Sets how the queue's groups are routed after a raise (when given; only checked when
   * `checkOnly`) and answers it. Refused on a queue that has deduplicated queue-wide: partitions
   * cannot keep that (dedup.ts).
   */
  routeGroups(routing?: GroupRouting, checkOnly = false): Outcome<GroupRouting | undefined> {
    return guard(() => {
      const config = this.config();
      if (routing === undefined) return config.groupRouting;
      if (config.queueWideDedup) {
        throw SqsErrors.invalidParameterValue(
          `Queue ${config.name} has deduplicated queue-wide (DeduplicationScope=queue at some point): it cannot have partitions.`,
        );
      }
      if (checkOnly) return config.groupRouting;
      config.groupRouting = routing;
      this.engine.save(config);
      return routing;
    });
  }

  /** Another partition's messages, taken only where their group is here (group-homes.ts). */
  async sendIfPresent(messages: NewMessage[], batch: boolean): Promise<Outcome<IfPresentAnswer<Outcome<SentMessage>>>> {
    return guardAsync(async () => {
      const config = this.config();
      this.engine.rollSamples(config);
      const answer = await sendIfPresent(this.engine.context, config, messages, batch);
      const sent = answer.results.filter((r) => r?.ok).length;
      if (sent > 0) this.engine.arrived(config, false);
      this.engine.samples.count(this.engine.clock.now(), "sent", sent);
      return answer;
    });
  }

  /** Another partition's letters, taken only where their group is here. */
  acceptLettersIfPresent(letters: DeadLetter[], options: StoreLettersOptions): Outcome<IfPresentAnswer<Outcome<number>>> {
    return guard(() => {
      const config = this.config();
      const answer = acceptLettersIfPresent(this.engine.context, config, letters, options);
      if (answer.results.some((r) => r?.ok && r.value > 0)) this.engine.arrived(config, true);
      return answer;
    });
  }

  // ---- message move tasks ------------------------------------------------------------------

  /** `taskId` is the Worker's when a partitioned queue's task spans its partitions, each moving a share of `rate`. */
  startMoveTask(destinationArn: string | undefined, rate: number | undefined, taskId?: string): Outcome<string> {
    return guard(() => {
      this.config();
      const started = startTask(this.engine.stores(), this.engine.clock.now(), destinationArn, rate, taskId);
      this.engine.alarms.now();
      return started;
    });
  }

  cancelMoveTask(taskId: string): Outcome<number> {
    return guard(() => (this.config(), cancelTask(this.engine.sql, taskId)));
  }

  listMoveTasks(max: number): Outcome<MoveTask[]> {
    return guard(() => (this.config(), listTasks(this.engine.sql, max)));
  }

  // ---- partitions (durable-objects/partitions.md) --------------------------------------------

  /** Partition 0: the queue's partition count, or undefined when it does not know it (types.ts knownPartitionCount). */
  partitionCount(): Outcome<number | undefined> {
    return guard(() => knownPartitionCount(this.config()));
  }

  /** Partition 0: the Worker records the count once the partitions exist; it only grows. */
  setPartitionCount(partitions: number): Outcome<number> {
    return guard(() => {
      const config = this.config();
      const count = Math.max(config.partitions ?? 1, partitions);
      if (count !== config.partitions) {
        config.partitions = count;
        this.engine.save(config);
      }
      return count;
    });
  }

  /** Partition 0, the hub: partition k has messages; answers whether waiters listen (partition-notices.ts). */
  hasMessages(k: number): Outcome<boolean> {
    return guard(() => (this.config(), this.engine.notices.hasMessages(k)));
  }

  /** Partition k >= 1: the hub has waiters again; answers whether something is deliverable now. */
  resumeNotices(): Outcome<boolean> {
    return guard(() => this.engine.resumeNotices(this.config()));
  }

  // ---- long-poll waiters (long-poll.ts) and the alarm ------------------------------------------

  /**
   * The internal endpoint only: a waiter's socket (wait-socket.ts), parked hibernatable. With a
   * receive in its request (wait-socket.ts RECEIVE_HEADER) the object first receives: messages
   * (or an error, or no wait) are answered as JSON with a 200, and only an empty receive that may
   * wait parks the socket, so a long poll that finds nothing costs this one request.
   */
  override async fetch(request: Request): Promise<Response> {
    const opening = openWaitSocket(request);
    if (!opening.ok) return opening.response;
    if (this.engine.unavailable) return new Response(this.engine.unavailable.message, { status: 503 });
    if (!isLive(this.engine.stored)) return new Response("queue does not exist", { status: 404 });
    const params = receiveParamsOf(request);
    let headers: HeadersInit | undefined;
    if (params) {
      const outcome = await this.receiveNow({ ...params, probe: true });
      if (!outcome.ok || outcome.value.messages.length > 0 || outcome.value.retryUntil === undefined) {
        return Response.json(outcome);
      }
      headers = { [OUTCOME_HEADER]: JSON.stringify(outcome.value) };
      if (!isLive(this.engine.stored)) return new Response("queue does not exist", { status: 404 });
    }
    await this.engine.park(opening.server);
    return new Response(null, { status: 101, webSocket: opening.client, headers });
  }

  /** The one frame a waiter sends: `empty <k>`, a partition the hub woke it for had nothing. */
  override webSocketMessage(_socket: WebSocket, message: string | ArrayBuffer): void {
    const k = framePartition(message, EMPTY);
    if (k !== undefined && k > 0) this.engine.notices.emptied(k);
  }

  override webSocketClose(socket: WebSocket, code: number, reason: string): void {
    // Completes the closing handshake where the runtime does not reply to a close by itself.
    try {
      socket.close(code, reason);
    } catch {
      // already closed
    }
  }

  override async alarm(): Promise<void> {
    await this.engine.alarm();
  }

  // ---- plumbing ------------------------------------------------------------------------------

  /** A receive, with the partition's hints (queue-engine.ts `received`); not an entry point of its own. */
  private receiveNow(params: ReceiveParams): Promise<Outcome<ReceiveOutcome>> {
    return guardAsync(async () => {
      const config = this.config();
      this.engine.rollSamples(config);
      const outcome = await receiveMessages(this.engine.context, config, params);
      this.engine.samples.count(this.engine.clock.now(), "received", outcome.messages.length);
      if (!config.fifo && this.engine.context.picker.index instanceof FairGroups && this.engine.context.picker.index.active) {
        outcome.fair = true;
      }
      return this.engine.received(config, outcome);
    });
  }

  /** How this queue reaches other queues (dead-letter moves, move tasks). */
  protected queuePort(): QueuePort {
    // The engine's clock, so a test that moves it also ages the port's cached partition counts.
    return bindingPort(this.env, () => this.engine.clock.now());
  }

  /** The live queue's configuration; throws what a request on any other answers. */
  private config(): QueueConfig {
    const { unavailable, stored } = this.engine;
    if (unavailable) throw unavailable;
    if (!isLive(stored)) throw SqsErrors.queueDoesNotExist();
    return stored;
  }


}

