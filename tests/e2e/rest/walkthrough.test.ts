/**
 * Every REST route once, in the order a curl user would meet them: create, list, read and
 * update a queue; tag it; send one message and a batch with a partial failure; receive with
 * wait, max and visibility; change visibility; delete; purge; delete the queue.
 */
import { describe, expect, it } from "vitest";
import { endpoint, uniqueName } from "../clients.js";
import { itMatchesTheOpenApiDocument, queuePath, rest } from "./rest-client.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MD5 = /^[0-9a-f]{32}$/;

describe("REST walk-through", () => {
  const prefix = uniqueName("rest-walk");
  const name = `${prefix}-a`;
  const url = () => `${endpoint()}/000000000000/${name}`;
  let handles: string[] = [];

  it("creates a queue: 201, its name and SQS URL, and a Location", async () => {
    const answer = await rest("POST", "/v1/queues", {
      name,
      attributes: { VisibilityTimeout: 30, MessageRetentionPeriod: "3600" },
      tags: { team: "payments" },
    });
    expect(answer.status, answer.text).toBe(201);
    expect(answer.json).toEqual({ name, url: url() });
    expect(answer.headers.location).toBe(`/v1/queues/${name}`);
  });

  it("creates the same queue again: 201 with the same answer", async () => {
    const answer = await rest("POST", "/v1/queues", { name, attributes: { VisibilityTimeout: 30, MessageRetentionPeriod: "3600" } });
    expect(answer.status, answer.text).toBe(201);
    expect(answer.json).toEqual({ name, url: url() });
  });

  it("lists queues by prefix, a page at a time with limit and cursor", async () => {
    for (const suffix of ["b", "c"]) expect((await rest("POST", "/v1/queues", { name: `${prefix}-${suffix}` })).status).toBe(201);
    const all = await rest("GET", `/v1/queues?prefix=${prefix}`);
    expect(all.status).toBe(200);
    expect(all.json.queues.map((q: { name: string }) => q.name)).toEqual([`${prefix}-a`, `${prefix}-b`, `${prefix}-c`]);
    expect(all.json.queues[0]).toEqual({ name, url: url() });
    expect(all.json.nextCursor).toBeUndefined();

    const first = await rest("GET", `/v1/queues?prefix=${prefix}&limit=2`);
    expect(first.json.queues).toHaveLength(2);
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const second = await rest("GET", `/v1/queues?prefix=${prefix}&limit=2&cursor=${encodeURIComponent(first.json.nextCursor)}`);
    expect(second.json.queues.map((q: { name: string }) => q.name)).toEqual([`${prefix}-c`]);
    expect(second.json.nextCursor).toBeUndefined();
  });

  it("reads every attribute of a queue", async () => {
    const answer = await rest("GET", queuePath(name));
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      name,
      url: url(),
      attributes: {
        VisibilityTimeout: "30",
        MessageRetentionPeriod: "3600",
        DelaySeconds: "0",
        QueueArn: `arn:aws:sqs:us-east-1:000000000000:${name}`,
        ApproximateNumberOfMessages: "0",
      },
    });
  });

  it("updates attributes with PATCH: 204, and only the ones given change", async () => {
    const answer = await rest("PATCH", queuePath(name), { attributes: { VisibilityTimeout: 45, ReceiveMessageWaitTimeSeconds: "1" } });
    expect(answer.status, answer.text).toBe(204);
    expect(answer.text).toBe("");
    const { attributes } = (await rest("GET", queuePath(name))).json;
    expect(attributes).toMatchObject({ VisibilityTimeout: "45", ReceiveMessageWaitTimeSeconds: "1", MessageRetentionPeriod: "3600" });
  });

  it("lists, adds and removes tags", async () => {
    expect((await rest("GET", queuePath(name, "/tags"))).json).toEqual({ tags: { team: "payments" } });
    expect((await rest("PATCH", queuePath(name, "/tags"), { tags: { env: "dev", team: "billing" } })).status).toBe(204);
    expect((await rest("GET", queuePath(name, "/tags"))).json).toEqual({ tags: { team: "billing", env: "dev" } });
    expect((await rest("DELETE", queuePath(name, "/tags/team"))).status).toBe(204);
    expect((await rest("GET", queuePath(name, "/tags"))).json).toEqual({ tags: { env: "dev" } });
  });

  it("sends one message with attributes", async () => {
    const answer = await rest("POST", queuePath(name, "/messages"), {
      body: "first",
      attributes: {
        kind: { type: "String", value: "order" },
        count: { type: "Number", value: 3 },
        raw: { type: "Binary", value: "AAEC/w==" },
      },
    });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toEqual({
      messageId: expect.stringMatching(UUID),
      md5OfBody: "8b04d5e3775d298e78455efc5ca404d5",
      md5OfAttributes: expect.stringMatching(MD5),
    });
  });

  it("sends a batch: entries are reported by index, one failing without failing the others", async () => {
    const answer = await rest("POST", queuePath(name, "/messages"), {
      messages: [{ body: "second" }, { body: "too late", delaySeconds: 901 }, { body: "third" }],
    });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json.successful).toEqual([
      { index: 0, messageId: expect.stringMatching(UUID), md5OfBody: expect.stringMatching(MD5) },
      { index: 2, messageId: expect.stringMatching(UUID), md5OfBody: expect.stringMatching(MD5) },
    ]);
    expect(answer.json.failed).toEqual([
      { index: 1, code: "InvalidParameterValue", message: expect.stringContaining("DelaySeconds"), senderFault: true },
    ]);
  });

  it("receives with max and visibility, with every attribute", async () => {
    const answer = await rest("GET", queuePath(name, "/messages?max=10&visibility=5&wait=1"));
    expect(answer.status, answer.text).toBe(200);
    const messages = answer.json.messages as any[];
    // A standard queue may hand out fewer than are there: receive until all three came.
    while (messages.length < 3) {
      const more = await rest("GET", queuePath(name, "/messages?max=10&visibility=5"));
      messages.push(...more.json.messages);
    }
    expect(messages.map((m) => m.body).sort()).toEqual(["first", "second", "third"]);
    const first = messages.find((m) => m.body === "first");
    expect(first).toEqual({
      messageId: expect.stringMatching(UUID),
      receiptHandle: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
      body: "first",
      md5OfBody: "8b04d5e3775d298e78455efc5ca404d5",
      attributes: {
        kind: { type: "String", value: "order" },
        count: { type: "Number", value: "3" },
        raw: { type: "Binary", value: "AAEC/w==" },
      },
      md5OfAttributes: expect.stringMatching(MD5),
      systemAttributes: {
        SenderId: expect.any(String),
        SentTimestamp: expect.stringMatching(/^\d{13}$/),
        ApproximateReceiveCount: "1",
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
      },
    });
    expect(messages.find((m) => m.body === "second").attributes).toEqual({});
    handles = messages.map((m) => m.receiptHandle);
  });

  it("hides received messages for the visibility given, until it is changed to 0", async () => {
    expect((await rest("GET", queuePath(name, "/messages?max=10&wait=0"))).json).toEqual({ messages: [] });
    for (const handle of handles) {
      const answer = await rest("PATCH", queuePath(name, `/messages/${encodeURIComponent(handle)}`), { visibilityTimeout: 0 });
      expect(answer.status, answer.text).toBe(204);
    }
    const again: any[] = [];
    while (again.length < 3) again.push(...(await rest("GET", queuePath(name, "/messages?max=10&visibility=30"))).json.messages);
    expect(again.map((m) => m.systemAttributes.ApproximateReceiveCount)).toEqual(["2", "2", "2"]);
    handles = again.map((m) => m.receiptHandle);
  });

  it("deletes received messages: 204, and they are gone", async () => {
    for (const handle of handles) {
      const answer = await rest("DELETE", queuePath(name, `/messages/${encodeURIComponent(handle)}`));
      expect(answer.status, answer.text).toBe(204);
    }
    const { attributes } = (await rest("GET", queuePath(name))).json;
    expect(attributes).toMatchObject({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" });
  });

  it("long-polls with wait: a message sent while it waits is received at once", async () => {
    const started = Date.now();
    const receiving = rest("GET", queuePath(name, "/messages?wait=10"));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await rest("POST", queuePath(name, "/messages"), { body: "late" })).status).toBe(200);
    const answer = await receiving;
    expect(answer.status).toBe(200);
    expect(answer.json.messages.map((m: { body: string }) => m.body)).toEqual(["late"]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("purges a queue: 204, and nothing is left to receive", async () => {
    await rest("POST", queuePath(name, "/messages"), { messages: [{ body: "x" }, { body: "y" }] });
    const answer = await rest("POST", queuePath(name, "/purge"));
    expect(answer.status, answer.text).toBe(204);
    expect((await rest("GET", queuePath(name, "/messages?max=10&wait=0"))).json).toEqual({ messages: [] });
  });

  it("deletes queues: 204, then 404", async () => {
    for (const suffix of ["a", "b", "c"]) {
      const answer = await rest("DELETE", queuePath(`${prefix}-${suffix}`));
      expect(answer.status, answer.text).toBe(204);
    }
    expect((await rest("GET", queuePath(name))).status).toBe(404);
    expect((await rest("GET", `/v1/queues?prefix=${prefix}`)).json).toEqual({ queues: [] });
  });

  it("makes a FIFO queue from a name ending in .fifo and sends to it with a group", async () => {
    const fifo = `${prefix}-f.fifo`;
    expect((await rest("POST", "/v1/queues", { name: fifo, attributes: { ContentBasedDeduplication: true } })).status).toBe(201);
    expect((await rest("GET", queuePath(fifo))).json.attributes).toMatchObject({ FifoQueue: "true", ContentBasedDeduplication: "true" });
    const sent = await rest("POST", queuePath(fifo, "/messages"), { body: "in order", groupId: "g1" });
    expect(sent.json).toEqual({
      messageId: expect.stringMatching(UUID),
      md5OfBody: expect.stringMatching(MD5),
      sequenceNumber: expect.stringMatching(/^\d+$/),
    });
    const received = await rest("GET", queuePath(fifo, "/messages"));
    expect(received.json.messages[0].systemAttributes).toMatchObject({ MessageGroupId: "g1", SequenceNumber: sent.json.sequenceNumber });
    expect((await rest("DELETE", queuePath(fifo))).status).toBe(204);
  });

  itMatchesTheOpenApiDocument();
});
