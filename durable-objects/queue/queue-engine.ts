/**
 * What a queue object owns beyond one request, wired together: the message store and the picker
 * chosen for it, the send ids, the alarm scheduler, the sequence allocator, the long-poll waiters,
 * the queue's stored configuration, and the context the operations are handed (context.ts),
 * built once. queue-object.ts is the RPC shell over it.
 */
import { DEDUPLICATION_WINDOW_MS, SqsError } from "../../sdk/protocol/index.js";
import { Sql } from "../sql.js";
import { runAlarm } from "./alarm.js";
import { AlarmScheduler } from "./alarm-scheduler.js";
import { MovableClock, systemClock } from "./clock.js";
import { countMessages, type MessageCounts } from "./counts.js";
import type { QueueContext } from "./context.js";
import { wakeSocket, Waiters } from "./long-poll.js";
import type { MessageStores } from "./message-state.js";
import { PartitionNotices } from "./partition-notices.js";
import { pickerFor, type Picker } from "./picker.js";
import type { QueuePort } from "./queue-port.js";
import { ReceiptKeys } from "./receipt-handle.js";
import { MinuteSamples } from "./samples.js";
import { ensureSchema } from "./schema.js";
import { SegmentStore } from "./segment-store.js";
import { SendIds } from "./send-ids.js";
import { SequenceAllocator, sequenceResidue } from "./sequence.js";
import { isLive, knownPartitionCount, type QueueConfig, type ReceiveOutcome, type StoredQueue } from "./types.js";
import { deliverable, nextDeliverableAt, wakeLater, wakeWaiters, type WakeSources } from "./waking.js";

export class QueueEngine {
  /** Tests point it at a clock they move instead of sleeping. */
  readonly clock = new MovableClock(systemClock);
  readonly sql: Sql;
  /** Every message of the queue, packed into segments (segment-store.ts, storage.md). */
  readonly segments: SegmentStore;
  /** Caller-chosen ids of recent sends, so a retried send is not stored twice (send-ids.ts). */
  readonly sendIds = new SendIds(() => this.clock.now());
  readonly waiters: Waiters;
  /** How long polls parked on partition 0 hear of other partitions' messages (partition-notices.ts). */
  readonly notices: PartitionNotices;
  readonly alarms: AlarmScheduler;
  private readonly sequence: SequenceAllocator;
  /** Per-minute samples for the console's charts and the metrics routes (samples.ts). */
  readonly samples: MinuteSamples;
  /** What the operations are handed; the picker is filled in once the queue's type is known. */
  readonly context: QueueContext;
  /** The queue's configuration, or its tombstone; undefined before it is created. */
  stored: StoredQueue | undefined;
  /** Set when storage has a schema newer than this code knows: every request is refused with it. */
  unavailable: SqsError | undefined;

  constructor(
    private readonly state: DurableObjectState,
    queues: QueuePort,
    /** Which partition of its queue this object is (partition-objects.ts); 0 when not given. */
    private readonly identify: (config: QueueConfig) => number = () => 0,
    namespace?: DurableObjectNamespace,
  ) {
    const storage = state.storage;
    this.sql = new Sql(storage.sql);
    this.segments = new SegmentStore(this.sql, (fn) => storage.transactionSync(fn));
    this.segments.attachSendIds(this.sendIds);
    this.waiters = new Waiters(state);
    this.notices = new PartitionNotices(state, namespace);
    this.alarms = new AlarmScheduler(storage, this.sql);
    this.sequence = new SequenceAllocator(this.sql);
    this.samples = new MinuteSamples(this.sql);
    this.context = {
      sql: this.sql,
      stores: this.stores(),
      // Moves between queues and the alarm write through: a claim must be stored before its copy leaves.
      transaction: (fn) =>
        storage.transactionSync(() => {
          const result = fn();
          this.segments.flush();
          return result;
        }),
      transactionSync: storage.transactionSync.bind(storage),
      nextSeq: (now) => this.sequence.next(now),
      sequence: this.sequence,
      clock: this.clock,
      queues,
      partition: 0,
      wake: (at) => this.scheduleAlarm(at),
      state: { inFlightBound: undefined },
      picker: undefined as unknown as Picker,
      receiptKeys: new ReceiptKeys(),
      waiters: this.waiters,
      wakeWaiters: (now) => wakeWaiters(this.wakeSources(), now),
    };
  }

  /** What a fresh instance knows: only what storage holds (leases and caches start empty). */
  wake(): void {
    try {
      ensureSchema(this.sql);
    } catch (error) {
      if (!(error instanceof SqsError)) throw error;
      // Refused loudly and left as it is: nothing is read or written until newer code runs again.
      console.error(JSON.stringify({ level: "error", event: "schema-too-new", message: error.message }));
      this.unavailable = error;
      this.stored = undefined;
      return;
    }
    this.unavailable = undefined;
    const row = this.sql.one<{ config: string }>("SELECT config FROM queue WHERE id = 1");
    this.stored = row ? (JSON.parse(row.config) as StoredQueue) : undefined;
    this.segments.reset();
    // The picker's index is built while the segments load, so it is chosen first.
    this.context.picker = isLive(this.stored) ? pickerFor(this.stored.fifo, this.segments) : (undefined as unknown as Picker);
    this.segments.load();
    this.sequence.load(this.segments.highestSeq);
    if (isLive(this.stored)) this.placed(this.stored);
    this.context.state.inFlightBound = undefined;
    this.alarms.reset(this.clock.now());
  }

  /** A new queue's configuration stored; its type never changes, so its picker is chosen once. */
  created(config: QueueConfig): void {
    this.placed(config);
    this.save(config);
    this.context.picker ??= pickerFor(config.fifo, this.segments);
  }

  async deleteQueue(): Promise<void> {
    const deletedAt = this.clock.now();
    await this.alarms.clear();
    await this.state.storage.deleteAll();
    this.segments.reset();
    this.samples.reset();
    ensureSchema(this.sql);
    this.save({ deletedAt });
    this.context.receiptKeys.forget();
    this.context.state.inFlightBound = undefined;
    this.notices.forget();
    this.waiters.wakeAll();
  }

  /** The Approximate* counts now. */
  depth(config: QueueConfig): MessageCounts {
    return countMessages(this.stores(), this.clock.now(), Number(config.attributes.MessageRetentionPeriod));
  }

  /** Before a send, receive or delete: a new minute stores the last one's sample (samples.ts). */
  rollSamples(config: QueueConfig): void {
    this.samples.roll(this.clock.now(), () => this.depth(config));
  }

  /** The object's partition of its queue, once its name is known: origins of its letters and its seqs depend on it. */
  private placed(config: QueueConfig): void {
    this.context.partition = this.identify(config);
    this.sequence.residue = sequenceResidue(config, this.context.partition);
  }

  save(stored: StoredQueue, modified = false): void {
    if (modified && isLive(stored)) stored.lastModifiedAt = this.clock.now();
    // A tag or an attribute may make this a partitioned high-throughput FIFO queue (sequence.ts).
    if (isLive(stored)) this.sequence.residue = sequenceResidue(stored, this.context.partition);
    this.stored = stored;
    this.sql.run(
      "INSERT INTO queue (id, config) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET config = excluded.config",
      JSON.stringify(stored),
    );
  }

  savePolicy(config: QueueConfig, policy: string | undefined): void {
    if (policy === undefined) delete config.attributes.Policy;
    else config.attributes.Policy = policy;
    this.save(config, true);
  }

  /** Messages arrived: the alarm (a FIFO send's deduplication window, else retention) and the waiters. */
  arrived(config: QueueConfig, keepAge: boolean): void {
    const now = this.clock.now();
    const due = config.fifo ? now + DEDUPLICATION_WINDOW_MS : now + Number(config.attributes.MessageRetentionPeriod) * 1000;
    this.scheduleAlarm(keepAge ? undefined : due);
    if (this.waiters.size > 0) wakeWaiters(this.wakeSources(), now);
    this.observe(config);
  }

  /** Partition k >= 1 that listens: tells the hub if something became deliverable (partition-notices.ts). */
  observe(config: QueueConfig): void {
    if (this.notices.listening(config)) this.notices.observe(config, deliverable(this.wakeSources(), this.clock.now()));
  }

  /**
   * What a receive answers besides its messages: whether the partition has more deliverable,
   * or else when it next will (the Worker's depth hint), and on partition 0 the queue's partition count when it knows it.
   */
  received(config: QueueConfig, outcome: ReceiveOutcome): ReceiveOutcome {
    const now = this.clock.now();
    const more = deliverable(this.wakeSources(), now);
    if (this.notices.listening(config)) {
      this.notices.observe(config, more);
      // Messages just received become visible again at their timeout: the hub hears of it then.
      const next = outcome.messages.length > 0 ? nextDeliverableAt(this.wakeSources(), now) : undefined;
      if (next !== undefined) this.scheduleAlarm(next);
    }
    const partitions = this.notices.isHub(config) ? knownPartitionCount(config) : undefined;
    const nextAt = more ? undefined : nextDeliverableAt(this.wakeSources(), now);
    return {
      ...outcome,
      more,
      ...(nextAt !== undefined ? { nextAt } : {}),
      ...(partitions !== undefined ? { partitions } : {}),
    };
  }

  /** The hub asks partition k >= 1 to tell it of messages again; answers whether it has some now. */
  resumeNotices(config: QueueConfig): boolean {
    const now = this.clock.now();
    const listening = this.notices.resume(deliverable(this.wakeSources(), now));
    this.scheduleAlarm();
    return listening;
  }

  scheduleAlarm(candidate?: number): void {
    if (!isLive(this.stored)) return;
    const now = this.clock.now();
    // Parked sockets, or a hub to tell (partition-notices.ts), need the alarm when a message becomes deliverable.
    const watched = () => this.waiters.parked || this.notices.listening(this.stored as QueueConfig);
    const parkedWakeAt = () => (watched() ? (nextDeliverableAt(this.wakeSources(), now) ?? Infinity) : undefined);
    this.alarms.schedule({ stores: this.stores(), config: this.stored, now, parkedWakeAt }, candidate);
  }

  /**
   * A waiter's socket parked: woken at once if a message came since the Worker's empty receive.
   * On a partitioned queue's partition 0 it is also woken for the other partitions the hub knows
   * to have messages, and silenced partitions are asked to listen again (partition-notices.ts).
   */
  async park(socket: WebSocket): Promise<void> {
    this.waiters.park(socket);
    const now = this.clock.now();
    if (deliverable(this.wakeSources(), now)) wakeSocket(socket);
    else wakeLater(this.wakeSources(), now);
    if (isLive(this.stored) && this.notices.isHub(this.stored)) await this.notices.parked(this.stored, socket);
  }

  async alarm(): Promise<void> {
    this.alarms.fired();
    if (!isLive(this.stored)) return;
    await runAlarm(this.context, this.stored, (now) => this.alarms.sweepDue(now));
    this.scheduleAlarm();
    if (this.waiters.size > 0) wakeWaiters(this.wakeSources(), this.clock.now());
    if (isLive(this.stored)) this.observe(this.stored);
  }

  stores(): MessageStores {
    return { sql: this.sql, segments: this.segments, sendIds: this.sendIds };
  }

  private wakeSources(): WakeSources {
    return {
      config: isLive(this.stored) ? this.stored : undefined,
      picker: this.context.picker,
      waiters: this.waiters,
      alarmBy: (at) => this.scheduleAlarm(at),
    };
  }
}
