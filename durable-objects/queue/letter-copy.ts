/**
 * Copying letters (dead letters, redriven messages) to another queue, spread over its partitions
 * (partition-routing.ts): one call per partition reached, in parallel.
 */
import type { SqsErrorData } from "../../sdk/protocol/index.js";
import { letterPartition } from "./partition-routing.js";
import type { DeadLetter, StoreLettersOptions } from "./message-types.js";
import type { QueuePort } from "./queue-port.js";

/** A letter and the partition count of its destination that it is spread by. */
export interface RoutedLetter {
  letter: DeadLetter;
  partitions: number;
}

export interface CopyResult {
  /** Per letter, in the order given: whether its partition accepted it. */
  accepted: boolean[];
  /** The first refusal, when a partition refused its part. */
  refused?: SqsErrorData;
}

/**
 * Copies the letters to the queue `arn`, each to its partition. A partition refusing its part
 * (the queue is gone, or of the other type) leaves the other parts accepted; a call that throws
 * (interrupted) throws, and the caller's retry is recognised by the partitions that got a copy.
 */
export async function copyLetters(
  queues: QueuePort,
  arn: string,
  routed: RoutedLetter[],
  options: StoreLettersOptions,
): Promise<CopyResult> {
  const parts = new Map<number, number[]>();
  routed.forEach(({ letter, partitions }, i) => {
    const k = letterPartition(letter, partitions);
    let part = parts.get(k);
    if (!part) parts.set(k, (part = []));
    part.push(i);
  });
  const accepted = routed.map(() => false);
  let refused: SqsErrorData | undefined;
  await Promise.all(
    [...parts].map(async ([k, indices]) => {
      const outcome = await queues.byArn(arn, k).acceptLetters(indices.map((i) => routed[i]!.letter), options);
      if (outcome.ok) for (const i of indices) accepted[i] = true;
      else refused ??= outcome.error;
    }),
  );
  return { accepted, refused };
}
