/**
 * Depth hints: what this Worker isolate believes about each partition of a queue, so a receive
 * asks the partitions that have messages and not every partition on every call
 * (durable-objects/partitions.md, "Receives").
 *
 * Every receive's answer says whether its partition has more deliverable (`more`), and if not,
 * when a message there next becomes deliverable (a delay or visibility timeout ending): the
 * partition is believed empty until then. A send or a visibility change from this isolate marks
 * its partition as maybe having messages. A receive asks, in rotation order, the
 * partitions not believed empty, and then one believed empty, itself in a rotation of its own
 * (the probe): every believed-empty partition is looked at once per that many empty receives,
 * whatever the hints say, so a hint wrong because another isolate sent there cannot strand
 * messages. A busy isolate whose receives always find messages also probes, at most once per
 * PROBE_MS. Hints are per isolate and never shared: they only ever cost a look, never a message.
 */
import type { ReceiveOutcome } from "../durable-objects/queue/types.js";
import type { QueueRef } from "./queue-url.js";

/** A busy isolate looks at a partition it believes empty at least this often per queue. */
const PROBE_MS = 1_000;
/** Queues whose hints an isolate keeps; past it the table starts again. */
const MAX_QUEUES = 10_000;

interface QueueHints {
  /** Per partition: false = believed empty (until `until`); true or absent = may have messages. */
  more: (boolean | undefined)[];
  /** Per partition believed empty: when something there becomes deliverable, if known. */
  until: (number | undefined)[];
  /**
   * Where the next receive starts looking: a rotation of the queue's receives alone, so a
   * pattern of sends and receives in the isolate cannot skew the sends' own rotation.
   */
  turn: number;
  /** The next believed-empty partition to look at anyway. */
  probe: number;
  probedAt: number;
  /** Whether the queue's own ReceiveMessageWaitTimeSeconds made a receive wait, as last seen. */
  queueWaits?: boolean;
}

const table = new Map<string, QueueHints>();
/** FIFO receive attempts this isolate saw deliver, by queue and ReceiveRequestAttemptId: the partition that answered. */
const attempts = new Map<string, number>();

export function hintsOf(ref: QueueRef): QueueHints {
  const key = `${ref.accountId}/${ref.name}`;
  let hints = table.get(key);
  if (!hints) {
    if (table.size >= MAX_QUEUES) table.clear();
    table.set(key, (hints = { more: [], until: [], turn: Math.floor(Math.random() * 64), probe: 0, probedAt: 0 }));
  }
  return hints;
}

/** Whether this queue's receives wait when they do not say (its ReceiveMessageWaitTimeSeconds), as last seen. */
export function queueWaits(ref: QueueRef): boolean {
  return hintsOf(ref).queueWaits === true;
}

export function noteQueueWaits(ref: QueueRef, waits: boolean): void {
  hintsOf(ref).queueWaits = waits;
}

/** A receive from partition k answered: it has messages left if it said so, else from `nextAt` on. */
export function noteReceived(ref: QueueRef, k: number, outcome: ReceiveOutcome): void {
  const hints = hintsOf(ref);
  hints.more[k] = outcome.more ?? outcome.messages.length > 0;
  hints.until[k] = outcome.nextAt;
}

/** This isolate sent to partition k, or changed a visibility there: it may have messages. */
export function noteMayHaveMessages(ref: QueueRef, k: number): void {
  hintsOf(ref).more[k] = true;
}

/** The partition that answered this FIFO receive attempt in this isolate, if one did. */
export function attemptPartition(ref: QueueRef, attemptId: string): number | undefined {
  return attempts.get(`${ref.accountId}/${ref.name}/${attemptId}`);
}

export function noteAttempt(ref: QueueRef, attemptId: string, k: number): void {
  if (attempts.size >= MAX_QUEUES) attempts.clear();
  attempts.set(`${ref.accountId}/${ref.name}/${attemptId}`, k);
}

/**
 * Every partition from `first` on, `skip` left out: a FIFO receive attempt's order. Hints do not
 * apply: the partition that answered the first try holds the attempt to replay while its
 * messages are in flight, which is when its hint says empty.
 */
export function everyFrom(partitions: number, first: number, skip?: number): number[] {
  return Array.from({ length: partitions }, (_, i) => (first + i) % partitions).filter((k) => k !== skip);
}

/** Whether this isolate believes partition k has nothing deliverable now. */
export function believedEmptyNow(ref: QueueRef, k: number): boolean {
  return believedEmpty(hintsOf(ref), k, Date.now());
}

function believedEmpty(hints: QueueHints, k: number, now: number): boolean {
  const until = hints.until[k];
  return hints.more[k] === false && (until === undefined || now < until);
}

/** Where this receive starts looking, in the queue's rotation of receives. */
export function nextStart(ref: QueueRef, partitions: number): number {
  const hints = hintsOf(ref);
  hints.turn = (hints.turn + 1) % (64 * 1_000_000);
  return hints.turn % partitions;
}

/**
 * The partitions a receive looks at, in order: from `start` in rotation, those not believed
 * empty, then one believed empty (the probe), or the probe first when the isolate has not probed
 * for PROBE_MS. `first` (a FIFO receive attempt's partition) always comes first; `skip` (partition
 * 0 when a long poll's hub call will look at it) is left out.
 */
export function lookOrder(ref: QueueRef, partitions: number, start: number, first?: number, skip?: number): number[] {
  const hints = hintsOf(ref);
  const now = Date.now();
  const order: number[] = [];
  const empty: number[] = [];
  for (let i = 0; i < partitions; i++) {
    const k = (start + i) % partitions;
    if (k === first || k === skip) continue;
    (believedEmpty(hints, k, now) ? empty : order).push(k);
  }
  if (first !== undefined && first !== skip) order.unshift(first);
  if (empty.length > 0) {
    const probe = nextProbe(hints, partitions, empty);
    if (now - hints.probedAt >= PROBE_MS) {
      hints.probedAt = now;
      order.unshift(probe);
    } else {
      order.push(probe);
    }
  }
  return order;
}

/** The next believed-empty partition in the probe rotation. */
function nextProbe(hints: QueueHints, partitions: number, empty: number[]): number {
  for (let i = 0; i < partitions; i++) {
    const k = (hints.probe + i) % partitions;
    if (empty.includes(k)) {
      hints.probe = (k + 1) % partitions;
      return k;
    }
  }
  return empty[0]!;
}
