/**
 * A FIFO queue stored before the engine remembered that it had deduplicated queue-wide (its config
 * has no such mark) still keeps deduplicating queue-wide after DeduplicationScope becomes
 * messageGroup, as AWS does and as a queue created since does.
 */
import { expect, it } from "vitest";
import { createFifoQueue, sendFifo } from "./fifo-clocked-queue.js";

it("a queue stored without the queue-wide mark keeps deduplicating queue-wide after the switch", async () => {
  const queue = await createFifoQueue("dedup-switch-old");
  const first = await sendFifo(queue, "before", "known", "a");
  // What a queue created before the mark existed has stored: its config without it.
  await queue.inside((_, state) => {
    const row = state.storage.sql.exec<{ config: string }>("SELECT config FROM queue WHERE id = 1").one();
    const config = JSON.parse(row.config) as Record<string, unknown>;
    expect(config.queueWideDedup).toBe(true);
    delete config.queueWideDedup;
    state.storage.sql.exec("UPDATE queue SET config = ? WHERE id = 1", JSON.stringify(config));
  });
  await queue.restart();

  await queue.ok("SetQueueAttributes", { Attributes: { DeduplicationScope: "messageGroup" } });
  // A known id in another group, and an id first sent after the switch, then again in another group.
  expect((await sendFifo(queue, "other group", "known", "b")).MessageId).toBe(first.MessageId);
  const later = await sendFifo(queue, "after", "later", "a");
  expect((await sendFifo(queue, "after, other group", "later", "b")).MessageId).toBe(later.MessageId);
});
