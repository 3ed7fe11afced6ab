/** Queue management as every client sees it: create, attributes, list, tags, delete. */
import { expect, it } from "vitest";
import { uniqueName } from "../clients.js";
import type { SqsAdapter } from "./adapter.js";
import { ACCOUNT, expectError, expectException, newQueue } from "./steps.js";

const NON_EXISTENT_QUEUE = "AWS.SimpleQueueService.NonExistentQueue";
/** AWS words it differently per protocol. */
export const NON_EXISTENT_MESSAGE = {
  json: "The specified queue does not exist.",
  query: "The specified queue does not exist for this wsdl version.",
};

export function queueBehaviour(client: () => SqsAdapter): void {
  it("creates a queue with attributes and tags and reads them back", async () => {
    const sqs = client();
    const name = uniqueName("create");
    const { QueueUrl } = await sqs.call("CreateQueue", {
      QueueName: name,
      Attributes: { VisibilityTimeout: "45", MessageRetentionPeriod: "3600", MaximumMessageSize: "2048" },
      tags: { team: "core", "cost-center": "R+D/α β" },
    });
    expect(QueueUrl).toMatch(new RegExp(`/${ACCOUNT}/${name}$`));

    const all = await sqs.call("GetQueueAttributes", { QueueUrl, AttributeNames: ["All"] });
    expect(all.Attributes).toMatchObject({
      VisibilityTimeout: "45",
      MessageRetentionPeriod: "3600",
      MaximumMessageSize: "2048",
      DelaySeconds: "0",
      ApproximateNumberOfMessages: "0",
      QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`,
    });
    const some = await sqs.call("GetQueueAttributes", { QueueUrl, AttributeNames: ["VisibilityTimeout", "QueueArn"] });
    expect(some.Attributes).toEqual({ VisibilityTimeout: "45", QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}` });

    const tags = await sqs.call("ListQueueTags", { QueueUrl });
    expect(tags.Tags).toEqual({ team: "core", "cost-center": "R+D/α β" });
    const found = await sqs.call("GetQueueUrl", { QueueName: name });
    expect(found.QueueUrl).toBe(QueueUrl);
  });

  it("changes queue attributes", async () => {
    const sqs = client();
    const { url } = await newQueue(sqs, "set-attrs");
    await sqs.call("SetQueueAttributes", {
      QueueUrl: url,
      Attributes: { VisibilityTimeout: "60", DelaySeconds: "2", ReceiveMessageWaitTimeSeconds: "1" },
    });
    const { Attributes } = await sqs.call("GetQueueAttributes", {
      QueueUrl: url,
      AttributeNames: ["VisibilityTimeout", "DelaySeconds", "ReceiveMessageWaitTimeSeconds"],
    });
    expect(Attributes).toEqual({ VisibilityTimeout: "60", DelaySeconds: "2", ReceiveMessageWaitTimeSeconds: "1" });
  });

  it("lists queues by name prefix", async () => {
    const sqs = client();
    const prefix = uniqueName("lst");
    const a = await sqs.call("CreateQueue", { QueueName: `${prefix}-a` });
    const b = await sqs.call("CreateQueue", { QueueName: `${prefix}-b` });
    await newQueue(sqs, "other");
    const listed = await sqs.call("ListQueues", { QueueNamePrefix: prefix });
    expect([...(listed.QueueUrls ?? [])].sort()).toEqual([a.QueueUrl, b.QueueUrl].sort());
    const none = await sqs.call("ListQueues", { QueueNamePrefix: `${prefix}-zzz` });
    expect(none.QueueUrls ?? []).toEqual([]);
  });

  it("tags and untags a queue", async () => {
    const sqs = client();
    const { url } = await newQueue(sqs, "tags");
    await sqs.call("TagQueue", { QueueUrl: url, Tags: { owner: "ops", empty: "", "k:v/x=y+z@w.": "héllo wörld" } });
    expect((await sqs.call("ListQueueTags", { QueueUrl: url })).Tags).toEqual({
      owner: "ops",
      empty: "",
      "k:v/x=y+z@w.": "héllo wörld",
    });
    await sqs.call("UntagQueue", { QueueUrl: url, TagKeys: ["owner", "k:v/x=y+z@w."] });
    expect((await sqs.call("ListQueueTags", { QueueUrl: url })).Tags).toEqual({ empty: "" });
  });

  it("deletes a queue, after which it does not exist", async () => {
    const sqs = client();
    const { name, url } = await newQueue(sqs, "delete");
    await sqs.call("DeleteQueue", { QueueUrl: url });
    const error = await expectError(sqs.call("GetQueueUrl", { QueueName: name }), NON_EXISTENT_QUEUE);
    expect(error.message).toBe(NON_EXISTENT_MESSAGE[sqs.protocol]);
    expectException(sqs, error, "QueueDoesNotExist");
    await expectError(sqs.call("SendMessage", { QueueUrl: url, MessageBody: "x" }), NON_EXISTENT_QUEUE);
  });
}
