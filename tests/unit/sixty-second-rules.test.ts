/**
 * The two 60-second rules on a moved clock: PurgeQueue once a minute,
 * and no queue of a deleted queue's name for a minute.
 */
import { describe, expect, it } from "vitest";
import { ClockedQueue } from "./queue-clock.js";

describe("60-second rules", () => {
  it("refuses PurgeQueue with PurgeQueueInProgress (403) until 60 seconds after the last purge", async () => {
    const queue = await ClockedQueue.create("purge-rule");
    await queue.ok("PurgeQueue");
    queue.advance(59_999);
    const refused = await queue.call("PurgeQueue");
    expect(refused.status).toBe(403);
    expect(refused.body.__type).toBe("com.amazonaws.sqs#PurgeQueueInProgress");
    // A refused purge does not restart the minute.
    queue.advance(1);
    await queue.send("sent before the second purge");
    await queue.ok("PurgeQueue");
    expect(await queue.storedMessages()).toBe(0);
  });

  it("refuses to re-create a deleted queue with QueueDeletedRecently for 60 seconds, then creates it fresh", async () => {
    const queue = await ClockedQueue.create("deleted-rule", { VisibilityTimeout: "5" });
    await queue.send("goes with the queue");
    await queue.ok("TagQueue", { Tags: { team: "old" } });
    await queue.ok("DeleteQueue");

    queue.advance(59_999);
    const refused = await queue.call("CreateQueue", { QueueName: queue.name });
    expect(refused.status).toBe(400);
    expect(refused.body.__type).toBe("com.amazonaws.sqs#QueueDeletedRecently");

    queue.advance(1);
    await queue.ok("CreateQueue", { QueueName: queue.name });
    expect(await queue.counts()).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
    expect(await queue.receive()).toEqual([]);
    const { Attributes } = await queue.ok<{ Attributes: Record<string, string> }>("GetQueueAttributes", {
      AttributeNames: ["VisibilityTimeout", "CreatedTimestamp"],
    });
    expect(Attributes).toEqual({ VisibilityTimeout: "30", CreatedTimestamp: String(Math.floor(queue.now / 1000)) });
    expect((await queue.ok<{ Tags?: Record<string, string> }>("ListQueueTags")).Tags).toBeUndefined();
  });
});
