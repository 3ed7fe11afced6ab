/**
 * How a queue object reaches other queues: the bindings the engine needs, and the port the moves
 * between queues go through. A test double can stand in for the port (a fault between a move's
 * copy and its delete), so the move code has no hook of its own.
 */
import type { Outcome } from "../../sdk/protocol/index.js";
import type { DeadLetter, StoreLettersOptions } from "./message-types.js";
import type { IfPresentAnswer, NewMessage, SentMessage } from "./types.js";
import { partitionObjectName } from "./partition-objects.js";

/** What a move asks of the queue (partition) it copies to. */
export interface LetterSink {
  acceptLetters(letters: DeadLetter[], options: StoreLettersOptions): Promise<Outcome<number>>;
}

/** What a partition asks of another partition of its queue when a FIFO group may live there (group-homes.ts). */
export interface QueuePeer extends LetterSink {
  send(messages: NewMessage[], batch: boolean): Promise<Outcome<Outcome<SentMessage>[]>>;
  sendIfPresent(messages: NewMessage[], batch: boolean): Promise<Outcome<IfPresentAnswer<Outcome<SentMessage>>>>;
  acceptLettersIfPresent(letters: DeadLetter[], options: StoreLettersOptions): Promise<Outcome<IfPresentAnswer<Outcome<number>>>>;
}

export interface QueuePort {
  /** Partition `partition` (0 when not given) of the queue the ARN names. */
  byArn(arn: string, partition?: number): LetterSink;
  /** Partition `partition` of the queue the ARN names, as another partition of it reaches it. */
  peer(arn: string, partition: number): QueuePeer;
  /** How many partitions the queue the ARN names has: 1 for one that is not partitioned (or unknown). */
  partitions(arn: string): Promise<number>;
}

/** The bindings a queue object needs: its own namespace, to reach the other queues, and the registries. */
export interface EngineBindings {
  QUEUE: DurableObjectNamespace;
  /** The account registries, which record each queue's partition count (registry/registry-object.ts). */
  REGISTRY?: DurableObjectNamespace;
}

/**
 * How long an object trusts a partition count it read. The count only grows, so a stale one
 * spreads over fewer partitions than there are, never to one that does not exist (the Worker
 * caches it as long: worker/partitions.ts).
 */
const COUNT_TTL_MS = 10_000;

/** The port over the bindings: a queue's partitions by name (partition-objects.ts), its count from the account registry. */
export function bindingPort(bindings: EngineBindings, now: () => number = Date.now): QueuePort {
  const counts = new Map<string, { partitions: number; readAt: number }>();
  return {
    byArn(arn, partition = 0) {
      return this.peer(arn, partition);
    },
    peer(arn, partition) {
      const [, , , , accountId, name] = arn.split(":");
      const objectName = partitionObjectName(accountId!, name!, partition);
      return bindings.QUEUE.get(bindings.QUEUE.idFromName(objectName)) as unknown as QueuePeer;
    },
    async partitions(arn) {
      const registries = bindings.REGISTRY;
      if (!registries) return 1;
      const cached = counts.get(arn);
      if (cached && now() - cached.readAt < COUNT_TTL_MS) return cached.partitions;
      const [, , , , accountId, name] = arn.split(":");
      const registry = registries.get(registries.idFromName(`registry/${accountId}`)) as unknown as {
        partitions(name: string): Promise<number>;
      };
      const partitions = Math.max(1, Number(await registry.partitions(name!)) || 1);
      if (counts.size >= 1_000) counts.clear();
      counts.set(arn, { partitions, readAt: now() });
      return partitions;
    },
  };
}
