import {
  AddPermissionCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  RemovePermissionCommand,
  SetQueueAttributesCommand,
} from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient, uniqueName } from "../clients.js";

const sqs = awsClient();

async function policyOf(QueueUrl: string) {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["Policy", "QueueArn"] }));
  return { policy: Attributes?.Policy ? JSON.parse(Attributes.Policy) : undefined, arn: Attributes!.QueueArn! };
}

async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; message: string };
  }
  throw new Error("expected the request to fail");
}

describe("AddPermission and RemovePermission", () => {
  it("writes SQS policy statements into the Policy attribute and removes them again", async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName("perm") }));
    await sqs.send(
      new AddPermissionCommand({ QueueUrl, Label: "send-only", AWSAccountIds: ["111122223333"], Actions: ["SendMessage"] }),
    );
    await sqs.send(
      new AddPermissionCommand({
        QueueUrl,
        Label: "workers",
        AWSAccountIds: ["111122223333", "444455556666"],
        Actions: ["ReceiveMessage", "DeleteMessage"],
      }),
    );
    const { policy, arn } = await policyOf(QueueUrl!);
    expect(policy).toEqual({
      Version: "2008-10-17",
      Id: `${arn}/SQSDefaultPolicy`,
      Statement: [
        {
          Sid: "send-only",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111122223333:root" },
          Action: "SQS:SendMessage",
          Resource: arn,
        },
        {
          Sid: "workers",
          Effect: "Allow",
          Principal: { AWS: ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"] },
          Action: ["SQS:ReceiveMessage", "SQS:DeleteMessage"],
          Resource: arn,
        },
      ],
    });
    await sqs.send(new RemovePermissionCommand({ QueueUrl, Label: "send-only" }));
    expect((await policyOf(QueueUrl!)).policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(["workers"]);
    await sqs.send(new RemovePermissionCommand({ QueueUrl, Label: "workers" }));
    expect((await policyOf(QueueUrl!)).policy).toBeUndefined();
  });

  it("refuses a repeated label, an unknown label, an invalid action and an invalid label", async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName("perm-bad") }));
    const add = (Label: string, Actions: string[]) =>
      sqs.send(new AddPermissionCommand({ QueueUrl, Label, AWSAccountIds: ["111122223333"], Actions }));
    await add("once", ["*"]);
    const repeated = await failure(add("once", ["SendMessage"]));
    expect(repeated).toMatchObject({ name: "InvalidParameterValue", message: "Value once for parameter Label is invalid. Reason: Already exists." });
    const action = await failure(add("other", ["CreateQueue"]));
    expect(action.name).toBe("InvalidParameterValue");
    expect(action.message).toMatch(/^Value SQS:CreateQueue for parameter ActionName is invalid/);
    const label = await failure(add("has space", ["SendMessage"]));
    expect(label.name).toBe("InvalidParameterValue");
    const unknown = await failure(sqs.send(new RemovePermissionCommand({ QueueUrl, Label: "never" })));
    expect(unknown).toMatchObject({ name: "InvalidParameterValue", message: "Value never for parameter Label is invalid. Reason: can't find label." });
  });

  it("refuses a Policy AddPermission could not read back (a statement that is no object, nesting no policy has) with InvalidAttributeValue, never a 500", async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName("perm-policy") }));
    const deep = `{"Statement":[],"Id":${'{"a":'.repeat(5000)}1${"}".repeat(5000)}}`;
    for (const Policy of ['{"Statement":[null]}', '{"Statement":[5]}', '{"Statement":"x"}', "null", "[]", deep]) {
      const set = await failure(sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy } })));
      expect(set, Policy.slice(0, 40)).toMatchObject({ name: "InvalidAttributeValue", message: "Invalid value for the parameter Policy." });
      const created = await failure(sqs.send(new CreateQueueCommand({ QueueName: uniqueName("perm-policy"), Attributes: { Policy } })));
      expect(created, Policy.slice(0, 40)).toMatchObject({ name: "InvalidAttributeValue" });
    }
    // Nothing was stored, so AddPermission and RemovePermission still work on the queue.
    await sqs.send(new AddPermissionCommand({ QueueUrl, Label: "after", AWSAccountIds: ["111122223333"], Actions: ["SendMessage"] }));
    await sqs.send(new RemovePermissionCommand({ QueueUrl, Label: "after" }));
    // A hand-written policy with a Condition, as deep as real ones get, is still taken.
    const Policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "*", Condition: { ArnEquals: { "aws:SourceArn": ["arn:aws:sns:us-east-1:111122223333:t"] } } }],
    });
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy } }));
    await sqs.send(new AddPermissionCommand({ QueueUrl, Label: "beside", AWSAccountIds: ["111122223333"], Actions: ["SendMessage"] }));
    expect((await policyOf(QueueUrl!)).policy.Statement).toHaveLength(2);
  });
});
