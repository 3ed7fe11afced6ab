/** Visibility timeouts on a moved clock: exact deadlines, without sleeping. */
import { describe, expect, it } from "vitest";
import { ClockedQueue } from "./queue-clock.js";

describe("visibility timeout on the queue's clock", () => {
  it("hides a received message until exactly its visibility timeout has passed", async () => {
    const queue = await ClockedQueue.create("vis-exact");
    const id = await queue.send("m");
    const [first] = await queue.receive({ VisibilityTimeout: 30 });
    expect(first?.MessageId).toBe(id);

    queue.advance(29_999);
    expect(await queue.receive()).toEqual([]);
    expect(await queue.counts()).toEqual({ visible: 0, notVisible: 1, delayed: 0 });

    queue.advance(1);
    expect(await queue.counts()).toEqual({ visible: 1, notVisible: 0, delayed: 0 });
    const [second] = await queue.receive();
    expect(second?.MessageId).toBe(id);
    expect(second?.Attributes?.ApproximateReceiveCount).toBe("2");
    expect(second?.Attributes?.ApproximateFirstReceiveTimestamp).toBe(first?.Attributes?.ApproximateFirstReceiveTimestamp);
  });

  it("uses the queue's VisibilityTimeout, as it is when the message is received", async () => {
    const queue = await ClockedQueue.create("vis-queue", { VisibilityTimeout: "600" });
    await queue.send("m");
    await queue.receive();
    queue.advance(599_999);
    expect(await queue.receive()).toEqual([]);
    queue.advance(1);
    expect(await queue.receive()).toHaveLength(1);
  });

  it("counts a changed visibility timeout from the time of the change", async () => {
    const queue = await ClockedQueue.create("vis-change");
    await queue.send("m");
    const [message] = await queue.receive({ VisibilityTimeout: 30 });
    queue.advance(20_000);
    await queue.ok("ChangeMessageVisibility", { ReceiptHandle: message!.ReceiptHandle, VisibilityTimeout: 60 });
    queue.advance(59_999);
    expect(await queue.receive()).toEqual([]);
    queue.advance(1);
    expect(await queue.receive()).toHaveLength(1);
  });

  it("caps a message's visibility at 12 hours from the receive", async () => {
    const queue = await ClockedQueue.create("vis-cap");
    await queue.send("m");
    const [message] = await queue.receive({ VisibilityTimeout: 43_200 });
    queue.advance(3_600_000);
    // One hour in, 11 hours more reach the cap exactly; a second more is refused.
    await queue.ok("ChangeMessageVisibility", { ReceiptHandle: message!.ReceiptHandle, VisibilityTimeout: 39_600 });
    const over = await queue.call("ChangeMessageVisibility", {
      ReceiptHandle: message!.ReceiptHandle,
      VisibilityTimeout: 39_601,
    });
    expect(over.status).toBe(400);
    expect(over.body.__type).toBe("com.amazonaws.sqs#InvalidParameterValueException");
  });

  it("deletes with the handle of a message whose timeout expired, until it is received again", async () => {
    const queue = await ClockedQueue.create("vis-expired-delete");
    await queue.send("m");
    const [message] = await queue.receive({ VisibilityTimeout: 30 });
    queue.advance(45_000);
    await queue.ok("DeleteMessage", { ReceiptHandle: message!.ReceiptHandle });
    expect(await queue.storedMessages()).toBe(0);
  });
});
