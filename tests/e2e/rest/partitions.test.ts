/**
 * Partitioned queues through the REST API: `partitions` at create is the `sluice:partitions` tag
 * said as a field, with the tag's rules; the queue resource reports how many partitions (queue
 * objects) a queue has, which for a FIFO queue outside high-throughput mode is 1 whatever its tag.
 */
import { describe, expect, it } from "vitest";
import { uniqueName } from "../clients.js";
import { expectError, itMatchesTheOpenApiDocument, queuePath, rest } from "./rest-client.js";

const HIGH_THROUGHPUT = { DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId" };

async function created(body: Record<string, unknown>): Promise<string> {
  const answer = await rest("POST", "/v1/queues", body);
  expect(answer.status, answer.text).toBe(201);
  return answer.json.name;
}

async function partitionsOf(name: string): Promise<number> {
  const answer = await rest("GET", queuePath(name));
  expect(answer.status, answer.text).toBe(200);
  return answer.json.partitions;
}

describe("REST partitions", () => {
  it("a queue created without a count has one partition", async () => {
    expect(await partitionsOf(await created({ name: uniqueName("rest-part-one") }))).toBe(1);
  });

  it("partitions at create spreads a standard queue, stores the tag, and the counters sum over every partition", async () => {
    const name = await created({ name: uniqueName("rest-part-four"), partitions: 4 });
    expect(await partitionsOf(name)).toBe(4);
    expect((await rest("GET", queuePath(name, "/tags"))).json).toEqual({ tags: { "sluice:partitions": "4" } });
    // Sends rotate over the partitions: 12 single sends reach all four, and GET sums them.
    for (let i = 0; i < 12; i++) expect((await rest("POST", queuePath(name, "/messages"), { body: `m${i}` })).status).toBe(200);
    const { attributes } = (await rest("GET", queuePath(name))).json;
    expect(attributes.ApproximateNumberOfMessages).toBe("12");
    // Every message can be received and deleted, whichever partition holds it.
    const bodies = new Set<string>();
    for (let tries = 0; tries < 20 && bodies.size < 12; tries++) {
      const { messages } = (await rest("GET", queuePath(name, "/messages?max=10"))).json;
      for (const message of messages as { body: string; receiptHandle: string }[]) {
        bodies.add(message.body);
        expect((await rest("DELETE", queuePath(name, `/messages/${encodeURIComponent(message.receiptHandle)}`))).status).toBe(204);
      }
    }
    expect(bodies.size).toBe(12);
    expect((await rest("GET", queuePath(name))).json.attributes.ApproximateNumberOfMessages).toBe("0");
  });

  it("the tag given in tags works as the field does, and both may be given when they agree", async () => {
    expect(await partitionsOf(await created({ name: uniqueName("rest-part-tag"), tags: { "sluice:partitions": "3" } }))).toBe(3);
    const both = await created({ name: uniqueName("rest-part-both"), partitions: 2, tags: { "sluice:partitions": "2", team: "a" } });
    expect(await partitionsOf(both)).toBe(2);
    expect((await rest("GET", queuePath(both, "/tags"))).json.tags).toEqual({ "sluice:partitions": "2", team: "a" });
  });

  it("a raise by tag shows at once; a lowering is refused and the count stays", async () => {
    const name = await created({ name: uniqueName("rest-part-raise"), partitions: 2 });
    expect((await rest("PATCH", queuePath(name, "/tags"), { tags: { "sluice:partitions": "5" } })).status).toBe(204);
    expect(await partitionsOf(name)).toBe(5);
    expectError(await rest("PATCH", queuePath(name, "/tags"), { tags: { "sluice:partitions": "3" } }), 400, "InvalidParameterValue");
    expectError(await rest("DELETE", queuePath(name, "/tags/sluice:partitions")), 400, "InvalidParameterValue");
    expect(await partitionsOf(name)).toBe(5);
  });

  it("re-creating an existing queue with another count keeps its own", async () => {
    const name = uniqueName("rest-part-again");
    await created({ name, partitions: 2 });
    await created({ name, partitions: 4 });
    expect(await partitionsOf(name)).toBe(2);
  });

  it("a FIFO queue is partitioned only in high-throughput mode", async () => {
    const plain = await created({ name: uniqueName("rest-part-fifo") + ".fifo", partitions: 4 });
    expect(await partitionsOf(plain)).toBe(1);
    expect((await rest("GET", queuePath(plain, "/tags"))).json.tags).toEqual({ "sluice:partitions": "4" });
    const fast = await created({ name: uniqueName("rest-part-htfifo") + ".fifo", attributes: HIGH_THROUGHPUT, partitions: 4 });
    expect(await partitionsOf(fast)).toBe(4);
  });

  describe("a count the tag would refuse is 400 InvalidParameterValue, and no queue is made", () => {
    const cases: [string, unknown][] = [
      ["zero", 0],
      ["more than 64", 65],
      ["negative", -2],
      ["not whole", 2.5],
      ["text", "4"],
    ];
    for (const [title, partitions] of cases) {
      it(title, async () => {
        const name = uniqueName("rest-part-bad");
        const answer = await rest("POST", "/v1/queues", { name, partitions });
        expectError(answer, 400, "InvalidParameterValue");
        expect(answer.json.error.message).toContain("partitions");
        expectError(await rest("GET", queuePath(name)), 404, "QueueDoesNotExist");
      });
    }

    it("a field and a tag that disagree", async () => {
      const answer = await rest("POST", "/v1/queues", { name: uniqueName("rest-part-bad"), partitions: 2, tags: { "sluice:partitions": "3" } });
      expectError(answer, 400, "InvalidParameterValue");
      expect(answer.json.error.message).toContain("sluice:partitions");
    });

    it("a bad tag value, as SQS clients would send it", async () => {
      expectError(await rest("POST", "/v1/queues", { name: uniqueName("rest-part-bad"), tags: { "sluice:partitions": "65" } }), 400, "InvalidParameterValue");
    });
  });

  itMatchesTheOpenApiDocument();
});
