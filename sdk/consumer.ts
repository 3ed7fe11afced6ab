/**
 * Consumer: a long-poll loop that hands messages to `handleMessage` (or `handleMessageBatch`),
 * deletes them on success, backs them off on failure, and keeps them invisible while held.
 *
 * A message is "held" from receive until it is settled (deleted, backed off or released); the
 * loop only asks for as many messages as it has free handler slots, so nothing waits locally
 * for long, and the heartbeat renews the visibility of everything held.
 */
import { BatchQueue } from "./batch-queue.js";
import type { SluiceClient } from "./client.js";
import { Emitter } from "./emitter.js";
import { SluiceError } from "./errors.js";
import { GroupScheduler } from "./group-scheduler.js";
import { Heartbeat } from "./heartbeat.js";
import { MAX_RECEIVE_MESSAGES } from "./protocol/limits.js";
import { isFifoQueueName } from "./protocol/queue-name.js";
import { sleep } from "./retry.js";
import type { ConsumerEvents, HandlerContext, Message, StopOptions } from "./types.js";

export interface ConsumerOptions<Body = string> {
  client: SluiceClient;
  queueUrl: string;
  /** Handles one message; resolving deletes it, throwing backs it off (`backoffSeconds`). Give this or `handleMessageBatch`. */
  handleMessage?: (message: Message<Body>, context: HandlerContext) => unknown;
  /**
   * Handles the messages of one receive together. Resolving with nothing deletes them all; resolving with
   * an array deletes those and backs off the rest; throwing backs off all. Wins over `handleMessage`.
   */
  handleMessageBatch?: (messages: Message<Body>[], context: HandlerContext) => Promise<Message<Body>[] | void>;
  /** Messages asked for per ReceiveMessage, 1–10. Default `10`. */
  batchSize?: number;
  /**
   * Handlers running at once: messages for `handleMessage`, batches for `handleMessageBatch`. Messages with
   * the same MessageGroupId run one at a time in order; different groups run in parallel. Default `10`.
   */
  concurrency?: number;
  /** Long-poll time per ReceiveMessage, 0–20. Default `20`. */
  waitTimeSeconds?: number;
  /** Visibility timeout asked for on receive and renewed by the heartbeat. Default: the queue's VisibilityTimeout. */
  visibilityTimeoutSeconds?: number;
  /** How often the visibility of messages being held is renewed; `0` turns the heartbeat off. Default: half the visibility timeout. */
  heartbeatIntervalSeconds?: number;
  /**
   * Per-message (per-batch) time limit; on expiry the handler's signal aborts, a `processing_error`
   * (code `HandlerTimeout`) is emitted and the message backs off (it is never deleted). A handler that
   * ignores its signal keeps its concurrency slot, and its message group's turn, until it ends. Default: none.
   */
  handleMessageTimeoutMs?: number;
  /**
   * Visibility timeout set on a failed message, so it returns after this many seconds. A function gets the
   * message's ApproximateReceiveCount. Default: `min(2 ** receiveCount, 900)`.
   */
  backoffSeconds?: number | ((receiveCount: number, error: unknown) => number);
  /** Delete messages after their handler succeeded (batched with DeleteMessageBatch). Default `true`. */
  shouldDeleteMessages?: boolean;
  /** Pause after each receive before the next one. Default `0`. */
  pollingWaitTimeMs?: number;
  /** Pause after a failed receive before polling again. Default `1000`. */
  pollingErrorWaitTimeMs?: number;
  /** Message attributes to receive. Default `["All"]`. */
  messageAttributeNames?: string[];
  /** System attributes to receive; `MessageGroupId` and `ApproximateReceiveCount` are always added. Default `["All"]`. */
  systemAttributeNames?: string[];
  /** Turns the received body into `Body`; a throw counts as a processing error. Default: the body string as is. */
  deserializer?: (body: string) => Body;
}

/** Deletes and visibility changes wait this long to share a batch call. */
const BATCH_WINDOW_MS = 5;
const MAX_BACKOFF_SECONDS = 900;
const REQUIRED_SYSTEM_ATTRIBUTES = ["MessageGroupId", "ApproximateReceiveCount"];

type Unit<Body> = Message<Body>[];

const noop = () => {};

export class Consumer<Body = string> extends Emitter<ConsumerEvents<Body>> {
  private readonly options: ConsumerOptions<Body>;
  private readonly client: SluiceClient;
  private readonly queueUrl: string;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly scheduler: GroupScheduler<Unit<Body>>;
  private readonly deletes: BatchQueue<{ receiptHandle: string }>;
  private readonly visibility: BatchQueue<{ receiptHandle: string; visibilityTimeoutSeconds: number }>;
  private heartbeat?: Heartbeat<Message<Body>>;
  private visibilityTimeoutSeconds?: number;
  private running = false;
  private poll?: AbortController;
  private aborted?: Promise<void>;
  private loop?: Promise<void>;
  private stopping?: Promise<void>;
  /** The signals of handlers that are running. */
  private readonly handlers = new Set<AbortController>();

  constructor(options: ConsumerOptions<Body>) {
    super();
    if (!options.handleMessage && !options.handleMessageBatch) {
      throw new TypeError("Consumer needs handleMessage or handleMessageBatch");
    }
    this.options = options;
    this.client = options.client;
    this.queueUrl = options.queueUrl;
    this.batchSize = Math.min(Math.max(options.batchSize ?? MAX_RECEIVE_MESSAGES, 1), MAX_RECEIVE_MESSAGES);
    this.concurrency = Math.max(options.concurrency ?? 10, 1);
    this.visibilityTimeoutSeconds = options.visibilityTimeoutSeconds;
    this.scheduler = new GroupScheduler(this.concurrency, (unit) => this.process(unit));
    const { client, queueUrl } = this;
    this.deletes = new BatchQueue((entries) => client.deleteMessageBatch({ queueUrl, entries }), BATCH_WINDOW_MS);
    this.visibility = new BatchQueue(
      (entries) => client.changeMessageVisibilityBatch({ queueUrl, entries }),
      BATCH_WINDOW_MS,
    );
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Starts polling. Calling it while running does nothing; after `stop()`, await it before starting again. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = undefined;
    const poll = (this.poll = new AbortController());
    this.aborted = new Promise((resolve) => poll.signal.addEventListener("abort", () => resolve(), { once: true }));
    this.loop = this.pollLoop(poll.signal);
  }

  /**
   * Stops polling at once (an in-flight long poll is aborted), releases messages that have not
   * started, waits for running handlers and flushes deletes, then emits `stopped`.
   *
   * With `timeoutMs`, it waits at most that long (from the call) for running handlers. Handlers
   * still running then have their signal aborted (a `SluiceError` with code `ConsumerStopped`) and
   * their messages are no longer kept invisible: they come back once their visibility timeout runs
   * out, unless the handler still finishes and its message is deleted.
   */
  stop(options: StopOptions = {}): Promise<void> {
    if (!this.running) return this.stopping ?? Promise.resolve();
    this.running = false;
    this.poll?.abort();
    const deadline = options.timeoutMs === undefined ? undefined : Date.now() + options.timeoutMs;
    this.stopping = (async () => {
      await this.loop;
      const unstarted = this.scheduler.drop().flat();
      await Promise.all(unstarted.map((m) => this.setVisibility(m, 0)));
      if (!(await this.handlersDone(deadline))) this.abandonHandlers();
      await Promise.all([this.deletes.flush(), this.visibility.flush()]);
      this.heartbeat?.stop();
      this.emit("stopped");
    })();
    return this.stopping;
  }

  /** Waits for running handlers; false when `deadline` (epoch ms) came first. */
  private async handlersDone(deadline?: number): Promise<boolean> {
    const done = this.scheduler.below(1).then(() => true);
    if (deadline === undefined) return done;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(deadline - Date.now(), 0))));
    try {
      return await Promise.race([done, late]);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }

  /** At the stop deadline: handlers still running are told to stop, their messages no longer renewed. */
  private abandonHandlers(): void {
    const reason = new SluiceError("ConsumerStopped", "stop() timed out before the handler finished.");
    for (const controller of this.handlers) controller.abort(reason);
    this.heartbeat?.releaseAll();
  }

  private async pollLoop(signal: AbortSignal): Promise<void> {
    const {
      pollingWaitTimeMs = 0,
      pollingErrorWaitTimeMs = 1_000,
      waitTimeSeconds = 20,
      messageAttributeNames = ["All"],
      systemAttributeNames = ["All"],
    } = this.options;
    const systemNames = [...new Set([...systemAttributeNames, ...REQUIRED_SYSTEM_ATTRIBUTES])];
    while (this.running) {
      try {
        this.heartbeat ??= await this.startHeartbeat(signal);
        // One slot per handler: never hold more than can run.
        await Promise.race([this.scheduler.below(this.concurrency), this.aborted]);
        if (!this.running) break;
        const room = this.options.handleMessageBatch ? this.batchSize : this.concurrency - this.scheduler.size;
        const { messages } = await this.client.receiveMessage(
          {
            queueUrl: this.queueUrl,
            maxNumberOfMessages: Math.min(this.batchSize, room),
            waitTimeSeconds,
            visibilityTimeoutSeconds: this.options.visibilityTimeoutSeconds,
            messageAttributeNames,
            systemAttributeNames: systemNames,
          },
          { signal },
        );
        if (messages.length === 0) this.emit("empty");
        else this.dispatch(messages);
        if (pollingWaitTimeMs > 0) await sleep(pollingWaitTimeMs, signal);
      } catch (error) {
        if (!this.running) break;
        this.emit("error", error);
        await sleep(pollingErrorWaitTimeMs, signal).catch(() => {});
      }
    }
  }

  /** The heartbeat needs the visibility timeout; when not given it is the queue's, read once. */
  private async startHeartbeat(signal: AbortSignal): Promise<Heartbeat<Message<Body>>> {
    let seconds = this.visibilityTimeoutSeconds;
    if (seconds === undefined && this.options.heartbeatIntervalSeconds !== 0) {
      const { attributes } = await this.client.getQueueAttributes(
        { queueUrl: this.queueUrl, attributeNames: ["VisibilityTimeout"] },
        { signal },
      );
      seconds = this.visibilityTimeoutSeconds = Number(attributes.VisibilityTimeout ?? 30);
    }
    const intervalSeconds = this.options.heartbeatIntervalSeconds ?? (seconds ?? 0) / 2;
    return new Heartbeat(intervalSeconds * 1_000, (held) => {
      for (const m of held) void this.renew(m, seconds!);
    });
  }

  private dispatch(raw: Message[]): void {
    const ready: Message<Body>[] = [];
    for (const m of raw) {
      let message: Message<Body>;
      try {
        const body = this.options.deserializer ? this.options.deserializer(m.body) : (m.body as Body);
        message = { ...m, body };
      } catch (error) {
        const message = m as unknown as Message<Body>;
        this.emit("processing_error", error, message);
        void this.backOff(message, error);
        continue;
      }
      this.heartbeat!.hold(message);
      this.emit("message_received", message);
      ready.push(message);
    }
    if (this.options.handleMessageBatch) {
      if (ready.length > 0) this.scheduler.push(undefined, ready);
    } else {
      for (const m of ready) this.scheduler.push(m.systemAttributes.MessageGroupId, [m]);
    }
  }

  private async process(unit: Unit<Body>): Promise<void> {
    const controller = new AbortController();
    this.handlers.add(controller);
    const handled = this.handle(unit, controller.signal);
    try {
      let succeeded: Message<Body>[];
      try {
        succeeded = await this.withTimeout(handled, controller);
      } catch (error) {
        for (const m of unit) this.emit("processing_error", error, m);
        await Promise.all(unit.map((m) => this.fail(m, error)));
        // A timed-out handler that ignores its signal is still running: it keeps its slot (and
        // its group's turn) until it ends, or concurrency and FIFO order would no longer hold.
        await handled.then(noop, noop);
        return;
      }
      const acknowledged = new Set(succeeded.map((m) => m.messageId));
      const unacknowledged = new SluiceError("UnknownError", "Not acknowledged by handleMessageBatch.");
      await Promise.all(
        unit.map((m) => (acknowledged.has(m.messageId) ? this.succeed(m) : this.fail(m, unacknowledged))),
      );
    } finally {
      this.handlers.delete(controller);
    }
  }

  private async handle(unit: Unit<Body>, signal: AbortSignal): Promise<Message<Body>[]> {
    const { handleMessage, handleMessageBatch } = this.options;
    if (handleMessageBatch) return (await handleMessageBatch(unit, { signal })) ?? unit;
    await handleMessage!(unit[0]!, { signal });
    return unit;
  }

  /** `handled`, or a `HandlerTimeout` rejection (aborting the handler's signal) once the limit passes. */
  private withTimeout<T>(handled: Promise<T>, controller: AbortController): Promise<T> {
    const limitMs = this.options.handleMessageTimeoutMs;
    if (!limitMs) return handled;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new SluiceError("HandlerTimeout", `The handler did not finish within ${limitMs} ms.`);
        controller.abort(error);
        reject(error);
      }, limitMs);
    });
    return Promise.race([handled, timeout]).finally(() => timer !== undefined && clearTimeout(timer));
  }

  /** Deletion goes out in the background (batched); the handler slot is free already. */
  private succeed(message: Message<Body>): void {
    this.heartbeat!.release(message);
    if (this.options.shouldDeleteMessages === false) return this.emit("message_processed", message);
    void this.deletes.add({ receiptHandle: message.receiptHandle }).then(
      () => this.emit("message_processed", message),
      (error) => this.emit("error", error, message),
    );
  }

  private async fail(message: Message<Body>, error: unknown): Promise<void> {
    await this.backOff(message, error);
    // FIFO: later messages of the group must not overtake this one. Released with visibility 0,
    // they stay behind it anyway, since SQS delivers nothing of a group while one is in flight.
    const group = message.systemAttributes.MessageGroupId;
    if (group !== undefined && isFifoQueueName(this.queueUrl)) {
      await Promise.all(this.scheduler.drop(group).flat().map((m) => this.setVisibility(m, 0)));
    }
  }

  private backOff(message: Message<Body>, error: unknown): Promise<void> {
    const { backoffSeconds } = this.options;
    const receiveCount = Number(message.systemAttributes.ApproximateReceiveCount ?? 1);
    const seconds =
      typeof backoffSeconds === "number"
        ? backoffSeconds
        : backoffSeconds
          ? backoffSeconds(receiveCount, error)
          : Math.min(2 ** receiveCount, MAX_BACKOFF_SECONDS);
    return this.setVisibility(message, seconds);
  }

  /** Settles a message by its visibility: it comes back after `seconds`. */
  private async setVisibility(message: Message<Body>, seconds: number): Promise<void> {
    this.heartbeat?.release(message);
    await this.visibility
      .add({ receiptHandle: message.receiptHandle, visibilityTimeoutSeconds: seconds })
      .catch((error) => this.emit("error", error, message));
  }

  /** A heartbeat; its failure only matters if the message was not settled meanwhile (a renewal racing a delete). */
  private async renew(message: Message<Body>, seconds: number): Promise<void> {
    await this.visibility
      .add({ receiptHandle: message.receiptHandle, visibilityTimeoutSeconds: seconds })
      .catch((error) => {
        if (this.heartbeat?.isHeld(message)) this.emit("error", error, message);
      });
  }
}
