/** The Approximate* queue attributes, from the segment summaries (segment-scans.ts). */
import type { MessageStores } from "./message-state.js";

export interface MessageCounts {
  visible: number;
  notVisible: number;
  delayed: number;
}

export function countMessages(stores: MessageStores, now: number, retentionSeconds: number): MessageCounts {
  return stores.segments.counts(now, now - retentionSeconds * 1000);
}
