/** CreatedTimestamp and LastModifiedTimestamp: epoch seconds, moved only by changes. */
import { describe, expect, it } from "vitest";
import { ClockedQueue } from "./queue-clock.js";

async function timestamps(queue: ClockedQueue) {
  const { Attributes } = await queue.ok<{ Attributes: Record<string, string> }>("GetQueueAttributes", {
    AttributeNames: ["CreatedTimestamp", "LastModifiedTimestamp"],
  });
  return { created: Number(Attributes.CreatedTimestamp), modified: Number(Attributes.LastModifiedTimestamp) };
}

describe("queue timestamps", () => {
  it("sets both to the creation time in epoch seconds", async () => {
    const queue = await ClockedQueue.create("stamps-created");
    const seconds = Math.floor(queue.now / 1000);
    expect(await timestamps(queue)).toEqual({ created: seconds, modified: seconds });
  });

  it("moves LastModifiedTimestamp on SetQueueAttributes and leaves CreatedTimestamp alone", async () => {
    const queue = await ClockedQueue.create("stamps-set");
    const created = Math.floor(queue.now / 1000);
    queue.advance(600_000);
    await queue.ok("SetQueueAttributes", { Attributes: { VisibilityTimeout: "45" } });
    expect(await timestamps(queue)).toEqual({ created, modified: Math.floor(queue.now / 1000) });
  });

  it("moves neither on an idempotent CreateQueue or on sending and receiving", async () => {
    const queue = await ClockedQueue.create("stamps-steady", { VisibilityTimeout: "45" });
    const before = await timestamps(queue);
    queue.advance(600_000);
    await queue.ok("CreateQueue", { QueueName: queue.name, Attributes: { VisibilityTimeout: "45" } });
    await queue.send("m");
    await queue.receive();
    expect(await timestamps(queue)).toEqual(before);
  });
});
