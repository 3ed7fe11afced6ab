/** TagQueue, UntagQueue and ListQueueTags. */
import {
  CreateQueueCommand,
  ListQueueTagsCommand,
  TagQueueCommand,
  UntagQueueCommand,
} from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient, uniqueName } from "../clients.js";
import { expectSqsError, newQueue } from "./standard-helpers.js";

const sqs = awsClient();
const tagsOf = async (QueueUrl: string) => (await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags;

describe("queue tags", () => {
  it("lists no Tags for a queue without tags", async () => {
    expect(await tagsOf(await newQueue(sqs, "untagged"))).toBeUndefined();
  });

  it("lists the tags given to CreateQueue", async () => {
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: uniqueName("created-tags"), tags: { team: "core", env: "test" } }),
    );
    expect(await tagsOf(QueueUrl!)).toEqual({ team: "core", env: "test" });
  });

  it("adds tags, overwrites existing keys, keeps others and allows empty values", async () => {
    const QueueUrl = await newQueue(sqs, "tagged");
    await sqs.send(new TagQueueCommand({ QueueUrl, Tags: { a: "1", b: "2" } }));
    await sqs.send(new TagQueueCommand({ QueueUrl, Tags: { b: "two", c: "" } }));
    expect(await tagsOf(QueueUrl)).toEqual({ a: "1", b: "two", c: "" });
  });

  it("treats tag keys as case-sensitive", async () => {
    const QueueUrl = await newQueue(sqs, "case-tags");
    await sqs.send(new TagQueueCommand({ QueueUrl, Tags: { Key: "upper", key: "lower" } }));
    expect(await tagsOf(QueueUrl)).toEqual({ Key: "upper", key: "lower" });
  });

  it("removes the given keys and silently ignores keys that are not there", async () => {
    const QueueUrl = await newQueue(sqs, "untag");
    await sqs.send(new TagQueueCommand({ QueueUrl, Tags: { a: "1", b: "2", c: "3" } }));
    await sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: ["a", "missing"] }));
    expect(await tagsOf(QueueUrl)).toEqual({ b: "2", c: "3" });
    await sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: ["b", "c"] }));
    expect(await tagsOf(QueueUrl)).toBeUndefined();
  });

  it("rejects a key with the reserved aws: prefix or over 128 characters with InvalidParameterValue", async () => {
    const QueueUrl = await newQueue(sqs, "bad-tags");
    await expectSqsError(sqs.send(new TagQueueCommand({ QueueUrl, Tags: { "aws:owner": "x" } })), "InvalidParameterValue");
    await expectSqsError(
      sqs.send(new TagQueueCommand({ QueueUrl, Tags: { ["k".repeat(129)]: "x" } })),
      "InvalidParameterValue",
    );
    await expectSqsError(
      sqs.send(new TagQueueCommand({ QueueUrl, Tags: { long: "v".repeat(257) } })),
      "InvalidParameterValue",
    );
    expect(await tagsOf(QueueUrl)).toBeUndefined();
  });

  it("applies the same limits to the tags given to CreateQueue, creating nothing when they are broken", async () => {
    const QueueName = uniqueName("bad-created-tags");
    await expectSqsError(
      sqs.send(new CreateQueueCommand({ QueueName, tags: { "aws:owner": "x" } })),
      "InvalidParameterValue",
    );
    await expectSqsError(
      sqs.send(new CreateQueueCommand({ QueueName, tags: { ["k".repeat(129)]: "x" } })),
      "InvalidParameterValue",
    );
    // Nothing was created: a create without tags is a first create, so its tags start empty.
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName }));
    expect(await tagsOf(QueueUrl!)).toBeUndefined();
  });
});
