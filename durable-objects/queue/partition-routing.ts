/**
 * Which partition of a partitioned queue a message belongs in (durable-objects/partitions.md),
 * shared by the Worker's sends and the engine's moves between queues, so both place a message
 * group in the same partition.
 */
import type { DeadLetter } from "./message-types.js";

/** FNV-1a, 32 bits: small, stable, and spreads short ids well enough for up to 64 partitions. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * A message group's partition: a hash of the group id, the same in every isolate and object, so
 * a group's messages all go to one engine, which keeps their order (FIFO) or its fairness.
 */
export function groupPartition(groupId: string | undefined, partitions: number): number {
  return fnv1a(groupId ?? "") % partitions;
}

/**
 * The partition a letter copied from another queue goes to: its group's, when it has one (a FIFO
 * group keeps its order, a fair queue's group stays together), else one chosen by its origin. The
 * choice depends only on the letter and the count, so a copy retried with the same count reaches
 * the partition that recognises it (dead-letter.ts keys its idempotency by origin).
 */
export function letterPartition(letter: Pick<DeadLetter, "origin" | "groupId">, partitions: number): number {
  if (partitions <= 1) return 0;
  return letter.groupId !== undefined ? groupPartition(letter.groupId, partitions) : fnv1a(letter.origin) % partitions;
}
