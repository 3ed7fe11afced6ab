/**
 * Partition notices: how a long poll parked on a partitioned queue's partition 0 (the hub) hears
 * that another partition has messages (durable-objects/partitions.md, "Long polls").
 *
 * A waiting client parks one socket, on partition 0 only. A partition k >= 1 tells the hub when
 * it goes from nothing deliverable to something deliverable (a send, dead letters arriving, a
 * delay or visibility timeout ending), with one RPC, `hasMessages(k)`. The hub answers whether
 * it is listening:
 * - with waiters parked, it notes "k has messages", wakes every waiter with a frame naming k
 *   (the Worker then receives from k) and answers yes;
 * - with none, it notes "k is silenced" and answers no; k then sends no more notices. When a
 *   waiter next parks, the hub asks each silenced partition to listen again (`resumeNotices`),
 *   which answers whether it has something deliverable now, so messages that arrived meanwhile
 *   wake the new waiter at once.
 * A waiter parking is also woken at once for every partition noted as having messages; a Worker
 * that receives nothing from such a partition says so on its socket (`empty k`) and the note goes.
 * So a queue nobody long-polls costs one notice per partition (then it is silenced), and a queue
 * with waiters costs one notice per partition that goes from empty to not empty.
 *
 * The hub keeps its notes in storage (its synchronous key-value store, one small record), since it
 * hibernates and may be evicted between events; a partition keeps "silenced" in memory only: a
 * restarted partition listens, and is silenced again by its next notice if nobody waits.
 */
import type { Outcome } from "../../sdk/protocol/index.js";
import { wakeSocket, WAIT_TAG } from "./long-poll.js";

/** The most partitions a queue can have (worker/partitions.ts MAX_PARTITIONS). */
const MAX_PARTITIONS = 64;
/** The hub's notes, in its key-value store. */
const NOTES_KEY = "partition-notices";
/** A notice that failed (the hub restarting) is sent again once after this long. */
const RETRY_MS = 1_000;

/** What the hub noted about a partition; absent: nothing deliverable, and listening. */
type Note = "messages" | "silenced";

/** The RPC surface notices use on another partition of the same queue. */
export interface NoticePeer {
  hasMessages(k: number): Promise<Outcome<boolean>>;
  resumeNotices(): Promise<Outcome<boolean>>;
}

/** Where this object stands in its queue: partition 0, partition k >= 1, or neither (not found). */
type Role = { k: number } | null;

export class PartitionNotices {
  private role: Role | undefined;
  private silenced = false;
  /** What the last look found deliverable (partition k >= 1 while listening). */
  private seenDeliverable = false;
  private notes: Map<number, Note> | undefined;

  constructor(
    private readonly state: DurableObjectState,
    private readonly namespace: DurableObjectNamespace | undefined,
  ) {}

  /** Whether this object is its queue's partition 0 (every unpartitioned queue's object is). */
  isHub(queue: { accountId: string; name: string }): boolean {
    return this.roleIn(queue)?.k === 0;
  }

  /** Whether this object is partition k >= 1 of a queue and still tells its hub about messages. */
  listening(queue: { accountId: string; name: string }): boolean {
    const role = this.roleIn(queue);
    return role !== null && role.k > 0 && !this.silenced;
  }

  /**
   * Partition k >= 1, after anything that may change what is deliverable (a send, dead letters
   * arriving, a visibility change, a receive, the alarm): tells the hub when nothing was
   * deliverable at the last look and something is now. A restarted instance has not looked yet
   * and tells on its first look that finds something (the hub may hear it twice: harmless). Not
   * awaited by the request that caused it: a notice only wakes.
   */
  observe(queue: { accountId: string; name: string }, deliverableNow: boolean): void {
    if (!this.listening(queue)) return;
    const before = this.seenDeliverable;
    this.seenDeliverable = deliverableNow;
    if (!deliverableNow || before) return;
    const k = this.role!.k;
    const send = async (retry: boolean): Promise<void> => {
      try {
        const outcome = await this.peer(queue, 0).hasMessages(k);
        if (outcome.ok && !outcome.value) this.silenced = true;
      } catch {
        if (retry) setTimeout(() => void send(false), RETRY_MS);
      }
    };
    void send(true);
  }

  /** The hub asks this partition to listen again; answers whether it has something deliverable. */
  resume(deliverableNow: boolean): boolean {
    this.silenced = false;
    this.seenDeliverable = deliverableNow;
    return deliverableNow;
  }

  // ---- the hub (partition 0) -----------------------------------------------------------------

  /** A notice from partition k: answers whether the hub listens (it has waiters). */
  hasMessages(k: number): boolean {
    if (!Number.isInteger(k) || k < 1 || k >= MAX_PARTITIONS) return true;
    const listening = this.state.getWebSockets(WAIT_TAG).length > 0;
    this.note(k, listening ? "messages" : "silenced");
    if (listening) this.wakeAll(k);
    return listening;
  }

  /**
   * A waiter parked on the hub: it is woken at once for every partition noted as having
   * messages, and every silenced partition is asked to listen again (in parallel; one that has
   * messages wakes every waiter). Resolves once they all answered.
   */
  async parked(queue: { accountId: string; name: string }, socket: WebSocket): Promise<void> {
    const notes = this.load();
    const silenced: number[] = [];
    for (const [k, note] of notes) {
      if (note === "messages") wakeSocket(socket, k);
      else silenced.push(k);
    }
    await Promise.all(
      silenced.map(async (k) => {
        try {
          const outcome = await this.peer(queue, k).resumeNotices();
          if (!outcome.ok) return;
          // Still waiting on someone: a notice sent meanwhile may have noted it already.
          if (this.load().get(k) !== "silenced") return;
          this.note(k, outcome.value ? "messages" : undefined);
          if (outcome.value) this.wakeAll(k);
        } catch {
          // Stays silenced: the next waiter to park asks again.
        }
      }),
    );
  }

  /** A Worker woken for partition k found nothing there: the note goes. */
  emptied(k: number): void {
    if (this.load().get(k) === "messages") this.note(k, undefined);
  }

  /** The queue was deleted: its notes went with its storage. */
  forget(): void {
    this.notes = undefined;
    this.silenced = false;
    this.seenDeliverable = false;
  }

  private wakeAll(k: number): void {
    for (const socket of this.state.getWebSockets(WAIT_TAG)) wakeSocket(socket, k);
  }

  private note(k: number, note: Note | undefined): void {
    const notes = this.load();
    if (notes.get(k) === note) return;
    if (note === undefined) notes.delete(k);
    else notes.set(k, note);
    if (notes.size === 0) this.state.storage.kv.delete(NOTES_KEY);
    else this.state.storage.kv.put(NOTES_KEY, [...notes]);
  }

  private load(): Map<number, Note> {
    this.notes ??= new Map(this.state.storage.kv.get<[number, Note][]>(NOTES_KEY) ?? []);
    return this.notes;
  }

  // ---- plumbing ------------------------------------------------------------------------------

  /**
   * Which partition this object is: its id compared with the ids of the queue's partition
   * names (worker/queue-url.ts `partitionObjectName`), found once per instance.
   */
  private roleIn(queue: { accountId: string; name: string }): Role {
    if (this.role !== undefined) return this.role;
    this.role = null;
    if (!this.namespace) return this.role;
    for (let k = 0; k < MAX_PARTITIONS; k++) {
      if (this.namespace.idFromName(partitionName(queue, k)).equals(this.state.id)) {
        this.role = { k };
        break;
      }
    }
    return this.role;
  }

  private peer(queue: { accountId: string; name: string }, k: number): NoticePeer {
    const namespace = this.namespace!;
    return namespace.get(namespace.idFromName(partitionName(queue, k))) as unknown as NoticePeer;
  }
}

/** worker/queue-url.ts `partitionObjectName`, which the engine cannot import. */
function partitionName(queue: { accountId: string; name: string }, k: number): string {
  return k === 0 ? `${queue.accountId}/${queue.name}` : `${queue.accountId}/${queue.name}#${k}`;
}
