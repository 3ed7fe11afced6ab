/**
 * A Policy stored before the Worker refused odd ones at input (a null statement, a document
 * nested thousands deep) must not turn AddPermission or RemovePermission into an internal error.
 */
import { describe, expect, it } from "vitest";
import { ClockedQueue } from "./queue-clock.js";

/** Writes `policy` into the queue's stored configuration as an older version could have, then restarts. */
async function storePolicy(queue: ClockedQueue, policy: string): Promise<void> {
  await queue.inside((_, state) => {
    const row = state.storage.sql.exec<{ config: string }>("SELECT config FROM queue WHERE id = 1").one();
    const config = JSON.parse(row.config) as { attributes: Record<string, string> };
    config.attributes.Policy = policy;
    state.storage.sql.exec("UPDATE queue SET config = ? WHERE id = 1", JSON.stringify(config));
  });
  await queue.restart();
}

const add = (queue: ClockedQueue, Label: string) =>
  queue.call("AddPermission", { Label, AWSAccountIds: ["111111111111"], Actions: ["SendMessage"] });

describe("AddPermission and RemovePermission on a stored policy the Worker would refuse now", () => {
  it("treat a null or non-object statement as not theirs and keep it", async () => {
    const queue = await ClockedQueue.create("policy-null");
    const other = { Sid: "other", Effect: "Allow", Principal: "*", Action: "sqs:*", Resource: "*" };
    await storePolicy(queue, JSON.stringify({ Version: "2012-10-17", Statement: [null, 7, "x", other] }));

    expect((await add(queue, "mine")).status).toBe(200);
    const again = await add(queue, "mine");
    expect(again.status).toBe(400);
    expect(again.body.__type).toContain("InvalidParameterValue");
    expect((await queue.call("RemovePermission", { Label: "mine" })).status).toBe(200);
    const missing = await queue.call("RemovePermission", { Label: "absent" });
    expect(missing.status).toBe(400);

    const { Attributes } = await queue.ok<{ Attributes: { Policy: string } }>("GetQueueAttributes", { AttributeNames: ["Policy"] });
    expect(JSON.parse(Attributes.Policy).Statement).toEqual([null, 7, "x", other]);
  });

  it("answer a 400 naming the Policy for a document nested too deep to write back", async () => {
    const queue = await ClockedQueue.create("policy-deep");
    // Deep enough to overflow JSON.stringify (an internal error before).
    const depth = 20_000;
    const deep = `{"Version":"2012-10-17","Statement":[{"Sid":"deep","Condition":${"[".repeat(depth)}${"]".repeat(depth)}}]}`;
    await storePolicy(queue, deep);

    for (const reply of [await add(queue, "mine"), await queue.call("RemovePermission", { Label: "deep" })]) {
      expect(reply.status).toBe(400);
      expect(reply.body.__type).toContain("InvalidParameterValue");
      expect(reply.body.message).toContain("Policy");
    }
    // Nothing was changed: the stored policy is still the one it was.
    const { Attributes } = await queue.ok<{ Attributes: { Policy: string } }>("GetQueueAttributes", { AttributeNames: ["Policy"] });
    expect(Attributes.Policy).toBe(deep);
  });
});
