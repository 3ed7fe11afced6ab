/**
 * Pickers: how a receive chooses its messages, chosen once per queue from its type (as elasticmq
 * picks its simple or FIFO queue once). Every picker reads the one message store; what differs is
 * the in-memory index it keeps beside it (told about every message by the store: GroupIndex).
 *
 * - plain: the oldest deliverable messages, segment by segment (segment-store.ts `visible`);
 * - FIFO groups: group by group, from each group's head (fifo-groups.ts);
 * - fair groups: a standard queue's groups take turns (fair-groups.ts); while it has no group,
 *   its receives are plain ones.
 */
import { FairGroups } from "./fair-groups.js";
import { FifoGroups, pickFifoMessages } from "./fifo-groups.js";
import { takeRow, type MessageStores } from "./message-state.js";
import type { PickOptions, PickResult } from "./message-types.js";
import type { GroupIndex } from "./segment-memory.js";
import type { SegmentStore } from "./segment-store.js";

export interface Picker {
  /** The index the segment store keeps informed, attached before the store loads. */
  readonly index: GroupIndex | undefined;
  pick(stores: MessageStores, options: PickOptions): PickResult;
  /** Whether a receive would find a message now. */
  deliverable(now: number, expiredBefore: number): boolean;
  /** When a message that is not deliverable now becomes deliverable, if ever. */
  nextDeliverableAt(now: number): number | undefined;
}

/** The picker for a queue of this type, with its index attached to `segments`. */
export function pickerFor(fifo: boolean, segments: SegmentStore): Picker {
  const picker = fifo ? new FifoPicker(segments) : new FairPicker(segments);
  segments.attachGroups(picker.index);
  return picker;
}

/**
 * Takes up to `max` deliverable messages, oldest segment first (the cost does not grow with the
 * backlog), and makes each invisible until now + timeout. Messages past retention are skipped
 * (the alarm deletes them).
 */
export function pickPlain(stores: MessageStores, options: PickOptions): PickResult {
  const { now, max } = options;
  const rows = stores.segments.visible(now, now - options.retentionSeconds * 1000, max);
  const result: PickResult = { picked: [], dead: [] };
  for (const row of rows) takeRow(stores, row, options, result);
  return result;
}

class FairPicker implements Picker {
  readonly index: FairGroups;

  constructor(private readonly segments: SegmentStore) {
    this.index = new FairGroups(segments);
  }

  pick(stores: MessageStores, options: PickOptions): PickResult {
    return this.index.active ? this.index.pick(stores, options) : pickPlain(stores, options);
  }

  deliverable(now: number, expiredBefore: number): boolean {
    return this.segments.visible(now, expiredBefore, 1).length > 0;
  }

  nextDeliverableAt(now: number): number | undefined {
    return this.segments.nextDueAt(now);
  }
}

class FifoPicker implements Picker {
  readonly index: FifoGroups;

  constructor(segments: SegmentStore) {
    this.index = new FifoGroups((seq) => segments.visibleAtOf(seq));
  }

  pick(stores: MessageStores, options: PickOptions): PickResult {
    return pickFifoMessages(stores, this.index, options);
  }

  /** A FIFO message is only deliverable when its group is not blocked. */
  deliverable(now: number): boolean {
    return this.index.firstReady(now) !== undefined;
  }

  nextDeliverableAt(now: number): number | undefined {
    return this.index.nextReadyAt(now);
  }
}
