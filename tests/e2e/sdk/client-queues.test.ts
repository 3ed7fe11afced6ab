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

  it("adds permissions as statements of the Policy attribute and removes them by label", async () => {
    const { queueUrl } = await sqs.createQueue({ queueName: uniqueName("sdk-perms") });
    const { attributes: before } = await sqs.getQueueAttributes({ queueUrl, attributeNames: ["QueueArn", "Policy"] });
    const arn = before.QueueArn!;
    expect(before.Policy).toBeUndefined();
    await sqs.addPermission({ queueUrl, label: "one", accountIds: ["111122223333"], actions: ["SendMessage"] });
    await sqs.addPermission({
      queueUrl,
      label: "two",
      accountIds: ["111122223333", "444455556666"],
      actions: ["ReceiveMessage", "DeleteMessage"],
    });
    expect(await policy(queueUrl)).toEqual({
      Version: "2008-10-17",
      Id: `${arn}/SQSDefaultPolicy`,
      Statement: [
        { Sid: "one", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "SQS:SendMessage", Resource: arn },
        {
          Sid: "two",
          Effect: "Allow",
          Principal: { AWS: ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"] },
          Action: ["SQS:ReceiveMessage", "SQS:DeleteMessage"],
          Resource: arn,
        },
      ],
    });
    await sqs.removePermission({ queueUrl, label: "one" });
    expect((await policy(queueUrl))?.Statement.map((s) => s.Sid)).toEqual(["two"]);
    // Removing the last statement removes the attribute.
    await sqs.removePermission({ queueUrl, label: "two" });
    expect(await policy(queueUrl)).toBeUndefined();
  });

  it("refuses bad AddPermission and RemovePermission input with the SQS codes", async () => {
    const { queueUrl } = await sqs.createQueue({ queueName: uniqueName("sdk-perms-bad") });
    const add = (label: string, accountIds: string[], actions: string[]) =>
      sqs.addPermission({ queueUrl, label, accountIds, actions });
    await add("taken", ["111122223333"], ["*"]);
    await expect(add("taken", ["111122223333"], ["SendMessage"])).rejects.toMatchObject({
      code: "InvalidParameterValue",
      message: "Value taken for parameter Label is invalid. Reason: Already exists.",
    });
    await expect(sqs.removePermission({ queueUrl, label: "unknown" })).rejects.toMatchObject({
      code: "InvalidParameterValue",
      status: 400,
      message: "Value unknown for parameter Label is invalid. Reason: can't find label.",
    });
    await expect(add("fresh", ["111122223333"], ["Fly"])).rejects.toMatchObject({
      code: "InvalidParameterValue",
      message: "Value SQS:Fly for parameter ActionName is invalid. Reason: Please refer to the appropriate WSDL for a list of valid actions. ",
    });
    await expect(add("bad label!", ["111122223333"], ["SendMessage"])).rejects.toMatchObject({ code: "InvalidParameterValue" });
    await expect(add("fresh", ["12345"], ["SendMessage"])).rejects.toMatchObject({ code: "InvalidParameterValue" });
    await expect(add("fresh", [], ["SendMessage"])).rejects.toMatchObject({ code: "MissingParameter" });
    await expect(add("fresh", ["111122223333"], [])).rejects.toMatchObject({ code: "MissingParameter" });
    const eight = ["SendMessage", "ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility", "GetQueueAttributes", "GetQueueUrl", "PurgeQueue", "*"];
    await expect(add("fresh", ["111122223333"], eight)).rejects.toMatchObject({ code: "OverLimit" });
    // None of the refused calls touched the policy.
    expect((await policy(queueUrl))?.Statement.map((s) => s.Sid)).toEqual(["taken"]);
    const missing = queueUrl.replace(/[^/]+$/, uniqueName("sdk-perms-gone"));
    await expect(sqs.removePermission({ queueUrl: missing, label: "taken" })).rejects.toMatchObject({ code: "QueueDoesNotExist" });
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

interface Policy {
  Version: string;
  Id: string;
  Statement: { Sid: string }[];
}

async function policy(queueUrl: string): Promise<Policy | undefined> {
  const { attributes } = await sqs.getQueueAttributes({ queueUrl, attributeNames: ["Policy"] });
  return attributes.Policy === undefined ? undefined : (JSON.parse(attributes.Policy) as Policy);
}
