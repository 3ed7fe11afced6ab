/**
 * A queue object whose storage has a schema newer than its code knows (a rollback across a
 * migration) refuses every request with ServiceUnavailable, naming both versions, and writes
 * nothing: not its own older version, not the tables it does not understand.
 */
import { expect, it } from "vitest";
import { ClockedQueue } from "./queue-clock.js";

const NEWER = 99;

/** Everything a wake could write over: the version, the configuration, the messages. */
function snapshot(queue: ClockedQueue) {
  return queue.inside((_, state) => {
    const sql = state.storage.sql;
    return {
      version: sql.exec<{ version: number }>("SELECT version FROM schema_version").one().version,
      config: sql.exec<{ config: string }>("SELECT config FROM queue").one().config,
      segments: sql.exec<{ id: number; meta: string; payload: string }>("SELECT id, meta, payload FROM segments ORDER BY id").toArray(),
    };
  });
}

it("refuses every request on storage with a newer schema version, and changes nothing", async () => {
  const queue = await ClockedQueue.create("schema-too-new");
  await queue.send("stored by the newer code");
  const known = await queue.inside((_, state) => state.storage.sql.exec<{ version: number }>("SELECT version FROM schema_version").one().version);
  await queue.inside((_, state) => void state.storage.sql.exec("UPDATE schema_version SET version = ?", NEWER));
  const before = await snapshot(queue);
  await queue.restart();

  const calls: [string, Record<string, unknown>][] = [
    ["SendMessage", { MessageBody: "after the rollback" }],
    ["ReceiveMessage", {}],
    ["GetQueueAttributes", { AttributeNames: ["All"] }],
    ["SetQueueAttributes", { Attributes: { VisibilityTimeout: "5" } }],
    ["PurgeQueue", {}],
    ["DeleteQueue", {}],
    ["CreateQueue", { QueueName: queue.name }],
  ];
  for (const [action, input] of calls) {
    const reply = await queue.call(action, input);
    expect(reply.status, action).toBe(503);
    expect(reply.body.__type, action).toContain("ServiceUnavailable");
    expect(reply.body.message, action).toContain(`schema version ${NEWER}`);
    expect(reply.body.message, action).toContain(`version ${known}`);
  }
  await queue.runAlarm();
  expect(await snapshot(queue)).toEqual(before);
});
