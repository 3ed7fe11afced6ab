/** CreateQueue on standard queues: idempotency, the QueueNameExists rule and queue-name rules. */
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListQueueTagsCommand,
  SetQueueAttributesCommand,
} from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient, uniqueName } from "../clients.js";
import { expectSqsError, queueNameOf } from "./standard-helpers.js";

const sqs = awsClient();
const create = (QueueName: string, Attributes?: Record<string, string>, tags?: Record<string, string>) =>
  sqs.send(new CreateQueueCommand({ QueueName, Attributes, tags }));

describe("CreateQueue", () => {
  it("returns a queue URL that ends in the queue name", async () => {
    const name = uniqueName("create");
    const { QueueUrl } = await create(name);
    expect(queueNameOf(QueueUrl!)).toBe(name);
    expect(QueueUrl).toMatch(/^https?:\/\/[^/]+\/\d{12}\/[^/]+$/);
  });

  it("returns the same URL when the queue is created again with identical attributes", async () => {
    const name = uniqueName("idempotent");
    const first = await create(name, { VisibilityTimeout: "45", DelaySeconds: "3" });
    const again = await create(name, { VisibilityTimeout: "45", DelaySeconds: "3" });
    expect(again.QueueUrl).toBe(first.QueueUrl);
  });

  it("succeeds again without attributes, or with a subset, or with a default value spelled out", async () => {
    const name = uniqueName("subset");
    const first = await create(name, { VisibilityTimeout: "45" });
    expect((await create(name)).QueueUrl).toBe(first.QueueUrl);
    expect((await create(name, { VisibilityTimeout: "45", MaximumMessageSize: "1048576" })).QueueUrl).toBe(
      first.QueueUrl,
    );
  });

  it("refuses a second create with a different attribute value with QueueNameExists", async () => {
    const name = uniqueName("exists");
    await create(name, { VisibilityTimeout: "45" });
    const error = await expectSqsError(create(name, { VisibilityTimeout: "46" }), "QueueNameExists");
    expect(error.message).toBe(
      "A queue already exists with the same name and a different value for attribute VisibilityTimeout",
    );
    // Attributes the first create left at their default are compared too.
    await expectSqsError(create(name, { DelaySeconds: "5" }), "QueueNameExists");
  });

  it("compares against the current attributes, after SetQueueAttributes changed them", async () => {
    const name = uniqueName("current");
    const { QueueUrl } = await create(name, { VisibilityTimeout: "45" });
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { VisibilityTimeout: "60" } }));
    expect((await create(name, { VisibilityTimeout: "60" })).QueueUrl).toBe(QueueUrl);
    await expectSqsError(create(name, { VisibilityTimeout: "45" }), "QueueNameExists");
  });

  it("does not compare tags, and keeps the first create's tags", async () => {
    const name = uniqueName("tags");
    const { QueueUrl } = await create(name, undefined, { team: "a" });
    expect((await create(name, undefined, { team: "b" })).QueueUrl).toBe(QueueUrl);
    const { Tags } = await sqs.send(new ListQueueTagsCommand({ QueueUrl }));
    expect(Tags).toEqual({ team: "a" });
  });

  it("applies the given attributes and defaults the rest", async () => {
    const { QueueUrl } = await create(uniqueName("applied"), { DelaySeconds: "7", MessageRetentionPeriod: "600" });
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }));
    expect(Attributes).toMatchObject({
      DelaySeconds: "7",
      MessageRetentionPeriod: "600",
      VisibilityTimeout: "30",
      MaximumMessageSize: "1048576",
      ReceiveMessageWaitTimeSeconds: "0",
    });
  });

  it("accepts a name of exactly 80 letters, digits, hyphens and underscores", async () => {
    const base = uniqueName("max").replace(/[^A-Za-z0-9-]/g, "_");
    const name = `${base}_${"x".repeat(80 - base.length - 1)}`;
    expect(name).toHaveLength(80);
    const { QueueUrl } = await create(name);
    expect(queueNameOf(QueueUrl!)).toBe(name);
  });

  it("treats names as case-sensitive", async () => {
    const name = uniqueName("Case");
    const upper = await create(name.toUpperCase());
    const lower = await create(name.toLowerCase());
    expect(upper.QueueUrl).not.toBe(lower.QueueUrl);
  });

  it.each([
    ["81 characters", "q".repeat(81)],
    ["a space", "has space"],
    ["a period", "dotted.name"],
    ["a slash", "slash/name"],
    ["a non-ASCII letter", "caf\u00e9"],
    ["a .fifo suffix without FifoQueue", "standard.fifo"],
  ])("rejects a name with %s with InvalidParameterValue", async (_, name) => {
    const error = await expectSqsError(create(name), "InvalidParameterValue");
    expect(error.message).toBe("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
  });

  it("rejects an unknown attribute with InvalidAttributeName", async () => {
    const error = await expectSqsError(create(uniqueName("unknown"), { Colour: "blue" }), "InvalidAttributeName");
    expect(error.message).toBe("Unknown Attribute Colour.");
  });

  it("rejects FIFO-only attributes on a standard queue with InvalidAttributeName", async () => {
    for (const Attributes of [{ FifoQueue: "false" }, { ContentBasedDeduplication: "true" }] as Record<string, string>[]) {
      const error = await expectSqsError(create(uniqueName("fifo-attr"), Attributes), "InvalidAttributeName");
      expect(error.message).toBe(`Unknown Attribute ${Object.keys(Attributes)[0]}.`);
    }
  });

  it("rejects an out-of-range attribute with InvalidAttributeValue and creates nothing", async () => {
    const name = uniqueName("range");
    await expectSqsError(create(name, { VisibilityTimeout: "43201" }), "InvalidAttributeValue");
    // The failed create left no queue behind: a create with other values now succeeds.
    const { QueueUrl } = await create(name, { VisibilityTimeout: "10" });
    expect(queueNameOf(QueueUrl!)).toBe(name);
  });
});
