/**
 * A standard queue refuses ReceiveMessage with OverLimit (403) while 120,000 messages are in
 * flight. The in-flight messages are written straight into the object's SQLite
 * as schema version 2 stored them (one row each, receive state stored), and the object restarts
 * to migrate them into segments: the limit counts stored receive state as well as leases.
 */
import { signedSelfFetch } from "./signed-self.js";
import { describe, expect, it } from "vitest";
import { restoreVersion3 } from "./legacy-schema.js";
import { ClockedQueue } from "./queue-clock.js";

const LIMIT = 120_000;
const HOUR_MS = 3_600_000;

/** Inserts `count` received messages, invisible for an hour, with seqs 1..count. */
function seedInFlight(queue: ClockedQueue, count: number): Promise<void> {
  const now = queue.now;
  return queue.inside((_, state) => {
    restoreVersion3(state.storage.sql);
    state.storage.sql.exec(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO messages (seq, message_id, body, md5_body, sender_id, sent_at, enqueued_at, visible_at,
                             receive_count, first_receive_at, last_receive_at, receipt_gen)
       SELECT i, 'seeded-' || i, 'x', '9dd4e461268c8034f5c8564e155c67a6', 'seed', ?, ?, ?, 1, ?, ?, 1 FROM n`,
      count,
      now,
      now,
      now + HOUR_MS,
      now,
      now,
    );
    state.storage.sql.exec("UPDATE schema_version SET version = 2");
  }).then(() => queue.restart());
}

describe("the in-flight limit of a standard queue", () => {
  it("lets the 120,000th message go in flight, then refuses receives with OverLimit until some come back", async () => {
    const queue = await ClockedQueue.create("in-flight");
    await seedInFlight(queue, LIMIT - 1);
    await queue.send("the last one that fits");
    await queue.send("one too many");
    expect(await queue.counts()).toEqual({ visible: 2, notVisible: LIMIT - 1, delayed: 0 });

    const [last] = await queue.receive({ MaxNumberOfMessages: 1 });
    expect(last?.Body).toBe("the last one that fits");

    const refused = await queue.call("ReceiveMessage", { MaxNumberOfMessages: 1 });
    expect(refused.status).toBe(403);
    expect(refused.body.__type).toBe("com.amazonaws.sqs#OverLimit");
    expect(await queue.counts()).toEqual({ visible: 1, notVisible: LIMIT, delayed: 0 });

    // Deleting one in-flight message makes room for one more.
    await queue.ok("DeleteMessage", { ReceiptHandle: last!.ReceiptHandle });
    expect((await queue.receive({ MaxNumberOfMessages: 1 })).map((m) => m.Body)).toEqual(["one too many"]);
    expect((await queue.call("ReceiveMessage", {})).status).toBe(403);

    // When the seeded messages' visibility ends they are no longer in flight.
    queue.advance(HOUR_MS);
    expect(await queue.receive({ MaxNumberOfMessages: 10 })).toHaveLength(10);
  });

  it("caps a receive to the room left under the limit, then answers OverLimit with its query error header", async () => {
    const queue = await ClockedQueue.create("in-flight-cap");
    await seedInFlight(queue, LIMIT - 5);
    for (let i = 0; i < 10; i++) await queue.send(`m${i}`);

    // Ten wanted, five fit: the receive takes five rather than overshooting the limit.
    expect(await queue.receive({ MaxNumberOfMessages: 10 })).toHaveLength(5);
    expect(await queue.counts()).toEqual({ visible: 5, notVisible: LIMIT, delayed: 0 });

    const response = await signedSelfFetch("http://sluice.test/", {
      method: "POST",
      headers: { "x-amz-target": "AmazonSQS.ReceiveMessage", "content-type": "application/x-amz-json-1.0" },
      body: JSON.stringify({ QueueUrl: queue.url, MaxNumberOfMessages: 10 }),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("x-amzn-query-error")).toBe("OverLimit;Sender");
    const body = JSON.parse(new TextDecoder().decode(await response.arrayBuffer())) as { __type: string };
    expect(body.__type).toBe("com.amazonaws.sqs#OverLimit");
    expect(await queue.counts()).toEqual({ visible: 5, notVisible: LIMIT, delayed: 0 });
  });
});
