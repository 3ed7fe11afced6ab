/**
 * What a partitioned queue's console and metrics add up from its partitions: per-minute samples
 * summed (an idle partition's depth carried forward), and peek pages merged by sent time with a
 * cursor that resumes each partition right after what was shown of it.
 */
import { describe, expect, it } from "vitest";
import { decodeCursor, mergePeekPages, type PeekCursor } from "../../console/merged-peek.js";
import { sumSamples, type MinuteSample } from "../../durable-objects/queue/samples.js";
import type { PeekedMessage, PeekPage } from "../../durable-objects/queue/types.js";

const MINUTE = 60_000;
const sample = (minute: number, counts: Partial<MinuteSample>): MinuteSample => ({
  at: minute * MINUTE,
  sent: 0,
  received: 0,
  deleted: 0,
  visible: 0,
  inFlight: 0,
  delayed: 0,
  ...counts,
});

describe("sumSamples", () => {
  it("adds counts per minute, and carries an idle partition's depth forward from its last sample", async () => {
    const a = [sample(1, { sent: 5, visible: 5 }), sample(3, { received: 2, visible: 3, inFlight: 2 })];
    const b = [sample(2, { sent: 4, visible: 4, delayed: 1 })];
    expect(sumSamples([a, b])).toEqual([
      sample(1, { sent: 5, visible: 5 }),
      sample(2, { sent: 4, visible: 9, delayed: 1 }),
      sample(3, { received: 2, visible: 7, inFlight: 2, delayed: 1 }),
    ]);
  });

  it("is the one partition's samples when there is one", () => {
    const only = [sample(1, { sent: 1, visible: 1 }), sample(2, { deleted: 1 })];
    expect(sumSamples([only])).toEqual(only);
  });
});

const message = (seq: number, sentAt: number): PeekedMessage => ({
  seq,
  state: "visible",
  messageId: `${sentAt}`,
  body: "",
  senderId: "",
  sentAt,
  receiveCount: 0,
  visibleAt: 0,
});
const page = (messages: PeekedMessage[], next?: number): PeekPage => ({ messages, scanLimited: false, ...(next ? { next } : {}) });

describe("mergePeekPages", () => {
  it("takes the earliest sent from the partitions' fronts, and resumes each after what it showed", () => {
    // Partition 0 sent at 1, 4, 5; partition 1 at 2, 3, 6 (seqs are each partition's own).
    const pages = new Map([
      [0, page([message(10, 1), message(11, 4), message(12, 5)], 12)],
      [1, page([message(7, 2), message(8, 3), message(9, 6)])],
    ]);
    const first = mergePeekPages(pages, new Map(), 2, 4, false);
    expect(first.messages.map((m) => m.sentAt)).toEqual([1, 2, 3, 4]);
    expect(first.next).toBe("0.11_1.8");
    expect(decodeCursor(first.next, 2)).toEqual(new Map([[0, 11], [1, 8]]));
  });

  it("marks a partition read to the end, and has no next page once every one is", () => {
    const cursor: PeekCursor = new Map([[0, 11], [1, 8]]);
    const pages = new Map([
      [0, page([message(12, 5)])],
      [1, page([message(9, 6)])],
    ]);
    const last = mergePeekPages(pages, cursor, 2, 4, false);
    expect(last.messages.map((m) => m.sentAt)).toEqual([5, 6]);
    expect(last.next).toBeUndefined();
    const partly = mergePeekPages(new Map([[0, page([message(12, 5)])]]), new Map<number, number | "end">([[0, 11], [1, "end"]]), 3, 4, false);
    // Partition 2 was not read this time (not in pages): it is still to come.
    expect(partly.next).toBe("0.e_1.e");
  });

  it("merges newest first when asked, and keeps a partition not yet shown at its start", () => {
    const pages = new Map([
      [0, page([message(3, 9), message(2, 7)], 2)],
      [1, page([message(5, 8), message(4, 1)])],
    ]);
    const merged = mergePeekPages(pages, new Map(), 2, 2, true);
    expect(merged.messages.map((m) => m.sentAt)).toEqual([9, 8]);
    expect(merged.next).toBe("0.3_1.5");
    const none = mergePeekPages(pages, new Map(), 2, 1, true);
    expect(none.next).toBe("0.3");
  });

  it("reads a plain seq as partition 0's position, and ignores what is no cursor", () => {
    expect(decodeCursor("42", 4)).toEqual(new Map([[0, 42]]));
    expect(decodeCursor("0.5_9.e", 4)).toEqual(new Map([[0, 5]]));
    expect(decodeCursor("junk", 4)).toEqual(new Map());
  });
});
