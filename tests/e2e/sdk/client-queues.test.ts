import { describe, expect, it } from "vitest";
import { SluiceError } from "../../../sdk/errors.js";
import { uniqueName } from "../clients.js";
import { sluice } from "./sdk-helpers.js";

const sqs = sluice();

describe("SluiceClient queue actions", () => {
  it("creates a queue, finds it by name and lists it by prefix", async () => {
    const queueName = uniqueName("sdk-queues");
    const { queueUrl } = await sqs.createQueue({ queueName, attributes: { VisibilityTimeout: "45" } });
    expect(queueUrl).toMatch(new RegExp(`/${queueName}$`));
    // Creating again with the same attributes is idempotent.
    await expect(sqs.createQueue({ queueName, attributes: { VisibilityTimeout: "45" } })).resolves.toEqual({ queueUrl });
    await expect(sqs.getQueueUrl({ queueName })).resolves.toEqual({ queueUrl });
    const listed = await sqs.listQueues({ queueNamePrefix: queueName });
    expect(listed.queueUrls).toEqual([queueUrl]);
    await expect(sqs.listQueues({ queueNamePrefix: `${queueName}-none` })).resolves.toEqual({ queueUrls: [] });
  });

  it("reads and writes queue attributes", async () => {
    const { queueUrl } = await sqs.createQueue({ queueName: uniqueName("sdk-attrs") });
    await sqs.setQueueAttributes({ queueUrl, attributes: { VisibilityTimeout: "12", DelaySeconds: "3" } });
    const { attributes } = await sqs.getQueueAttributes({ queueUrl, attributeNames: ["All"] });
    expect(attributes).toMatchObject({ VisibilityTimeout: "12", DelaySeconds: "3" });
    expect(attributes.QueueArn).toMatch(/^arn:aws:sqs:us-east-1:\d{12}:sdk-attrs-/);
    const only = await sqs.getQueueAttributes({ queueUrl, attributeNames: ["DelaySeconds"] });
    expect(only.attributes).toEqual({ DelaySeconds: "3" });
  });

  it("puts the SigV4 region into queue ARNs", async () => {
    const eu = sluice({ region: "eu-west-1" });
    const { queueUrl } = await eu.createQueue({ queueName: uniqueName("sdk-region") });
    const { attributes } = await eu.getQueueAttributes({ queueUrl, attributeNames: ["QueueArn"] });
    expect(attributes.QueueArn).toMatch(/^arn:aws:sqs:eu-west-1:/);
  });

  it("tags, lists and untags a queue", async () => {
    const { queueUrl } = await sqs.createQueue({ queueName: uniqueName("sdk-tags"), tags: { team: "core" } });
    await sqs.tagQueue({ queueUrl, tags: { env: "test", owner: "" } });
    await expect(sqs.listQueueTags({ queueUrl })).resolves.toEqual({ tags: { team: "core", env: "test", owner: "" } });
    await sqs.untagQueue({ queueUrl, tagKeys: ["team", "owner", "absent"] });
    await expect(sqs.listQueueTags({ queueUrl })).resolves.toEqual({ tags: { env: "test" } });
  });

  it("purges and deletes a queue, after which it is gone", async () => {
    const { queueUrl } = await sqs.createQueue({ queueName: uniqueName("sdk-delete") });
    await sqs.sendMessage({ queueUrl, body: "x" });
    await sqs.purgeQueue({ queueUrl });
    await expect(sqs.receiveMessage({ queueUrl })).resolves.toEqual({ messages: [] });
    await sqs.deleteQueue({ queueUrl });
    const error = await sqs.getQueueAttributes({ queueUrl }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SluiceError);
    expect(error).toMatchObject({
      code: "QueueDoesNotExist",
      queryCode: "AWS.SimpleQueueService.NonExistentQueue",
      status: 400,
      retryable: false,
    });
    expect((error as SluiceError).requestId).toBeTruthy();
  });

  it("throws typed errors with the SQS code for invalid input", async () => {
    await expect(sqs.createQueue({ queueName: "bad name!" })).rejects.toMatchObject({
      name: "SluiceError",
      code: "InvalidParameterValue",
      queryCode: "InvalidParameterValue",
    });
    const { queueUrl } = await sqs.createQueue({ queueName: uniqueName("sdk-purge") });
    await sqs.purgeQueue({ queueUrl });
    await expect(sqs.purgeQueue({ queueUrl })).rejects.toMatchObject({ code: "PurgeQueueInProgress", status: 403 });
  });
});
