/** Topic actions with @aws-sdk/client-sns: create (idempotent, FIFO rules), attributes, listing, tags, permissions, data protection, delete. */
import {
  AddPermissionCommand,
  CreateTopicCommand,
  DeleteTopicCommand,
  GetDataProtectionPolicyCommand,
  GetTopicAttributesCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  PutDataProtectionPolicyCommand,
  RemovePermissionCommand,
  SetTopicAttributesCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-sns";
import { describe, expect, it } from "vitest";
import { uniqueName } from "../clients.js";
import { expectSnsError, otherAccountSns, snsClient } from "./sns-helpers.js";

const sns = snsClient();

describe("CreateTopic", () => {
  it("answers the topic's ARN, the same one again for equal attributes", async () => {
    const name = uniqueName("topic");
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name, Attributes: { DisplayName: "Orders" } }));
    expect(TopicArn).toBe(`arn:aws:sns:us-east-1:000000000000:${name}`);
    const again = await sns.send(new CreateTopicCommand({ Name: name, Attributes: { DisplayName: "Orders" } }));
    expect(again.TopicArn).toBe(TopicArn);
    const bare = await sns.send(new CreateTopicCommand({ Name: name }));
    expect(bare.TopicArn).toBe(TopicArn);
  });

  it("refuses a re-create with different attributes or tags", async () => {
    const name = uniqueName("topic");
    await sns.send(new CreateTopicCommand({ Name: name, Attributes: { DisplayName: "a" }, Tags: [{ Key: "team", Value: "x" }] }));
    await expectSnsError(
      sns.send(new CreateTopicCommand({ Name: name, Attributes: { DisplayName: "b" } })),
      "InvalidParameterException",
      400,
      "Invalid parameter: Attributes Reason: Topic already exists with different attributes",
    );
    await expectSnsError(
      sns.send(new CreateTopicCommand({ Name: name, Tags: [{ Key: "team", Value: "y" }] })),
      "InvalidParameterException",
      400,
      "Invalid parameter: Tags Reason: Topic already exists with different tags",
    );
  });

  it("checks names: characters, length, and .fifo only for FIFO topics", async () => {
    await expectSnsError(sns.send(new CreateTopicCommand({ Name: "bad name" })), "InvalidParameterException", 400, "Invalid parameter: Topic Name");
    await expectSnsError(sns.send(new CreateTopicCommand({ Name: "x".repeat(257) })), "InvalidParameterException", 400);
    await expectSnsError(sns.send(new CreateTopicCommand({ Name: uniqueName("t") + ".fifo" })), "InvalidParameterException", 400, "Invalid parameter: Topic Name");
    await expectSnsError(
      sns.send(new CreateTopicCommand({ Name: uniqueName("t"), Attributes: { FifoTopic: "true" } })),
      "InvalidParameterException",
      400,
      /^Fifo Topic names must end with \.fifo/,
    );
    const fifo = await sns.send(new CreateTopicCommand({ Name: uniqueName("t") + ".fifo", Attributes: { FifoTopic: "true" } }));
    expect(fifo.TopicArn).toMatch(/\.fifo$/);
  });

  it("refuses unknown attributes and FIFO attributes on standard topics", async () => {
    await expectSnsError(sns.send(new CreateTopicCommand({ Name: uniqueName("t"), Attributes: { Bogus: "1" } })), "InvalidParameterException", 400);
    await expectSnsError(
      sns.send(new CreateTopicCommand({ Name: uniqueName("t"), Attributes: { ContentBasedDeduplication: "true" } })),
      "InvalidParameterException",
      400,
    );
  });
});

describe("GetTopicAttributes and SetTopicAttributes", () => {
  it("report AWS's set for a standard topic, with the default policy", async () => {
    const name = uniqueName("topic");
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(Object.keys(Attributes!).sort()).toEqual(
      ["DisplayName", "EffectiveDeliveryPolicy", "Owner", "Policy", "SubscriptionsConfirmed", "SubscriptionsDeleted", "SubscriptionsPending", "TopicArn"].sort(),
    );
    expect(Attributes!.TopicArn).toBe(TopicArn);
    expect(Attributes!.Owner).toBe("000000000000");
    expect(Attributes!.SubscriptionsConfirmed).toBe("0");
    const policy = JSON.parse(Attributes!.Policy!);
    expect(policy.Statement[0].Resource).toBe(TopicArn);
    expect(policy.Statement[0].Condition).toEqual({ StringEquals: { "AWS:SourceOwner": "000000000000" } });
    expect(JSON.parse(Attributes!.EffectiveDeliveryPolicy!).http.defaultHealthyRetryPolicy.numRetries).toBe(3);
  });

  it("report the FIFO set for a FIFO topic, and what was set", async () => {
    const { TopicArn } = await sns.send(
      new CreateTopicCommand({ Name: uniqueName("t") + ".fifo", Attributes: { FifoTopic: "true", ContentBasedDeduplication: "true" } }),
    );
    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: "FifoThroughputScope", AttributeValue: "MessageGroup" }));
    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: "SignatureVersion", AttributeValue: "2" }));
    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: "TracingConfig", AttributeValue: "Active" }));
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(Attributes).toMatchObject({
      FifoTopic: "true",
      ContentBasedDeduplication: "true",
      FifoThroughputScope: "MessageGroup",
      SignatureVersion: "2",
      TracingConfig: "Active",
    });
  });

  it("validate what is set", async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName("topic") }));
    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: "DisplayName", AttributeValue: "Shop" }));
    expect((await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!.DisplayName).toBe("Shop");
    await expectSnsError(sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: "SignatureVersion", AttributeValue: "3" })), "InvalidParameterException", 400);
    await expectSnsError(sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: "Nope", AttributeValue: "1" })), "InvalidParameterException", 400, "Invalid parameter: AttributeName");
    await expectSnsError(sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: "FifoTopic", AttributeValue: "true" })), "InvalidParameterException", 400);
    await expectSnsError(sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: "Policy", AttributeValue: "{not json" })), "InvalidParameterException", 400);
  });

  it("answer NotFound (404) for a topic that does not exist, and InvalidParameter for a malformed ARN", async () => {
    await expectSnsError(
      sns.send(new GetTopicAttributesCommand({ TopicArn: "arn:aws:sns:us-east-1:000000000000:nope-" + Date.now() })),
      "NotFoundException",
      404,
      "Topic does not exist",
    );
    await expectSnsError(sns.send(new GetTopicAttributesCommand({ TopicArn: "not-an-arn" })), "InvalidParameterException", 400, "Invalid parameter: TopicArn");
  });
});

describe("ListTopics", () => {
  it("pages 100 at a time with NextToken", async () => {
    const prefix = uniqueName("page");
    const made = await Promise.all(
      Array.from({ length: 105 }, (_, i) => sns.send(new CreateTopicCommand({ Name: `${prefix}-${String(i).padStart(3, "0")}` }))),
    );
    const listed: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const page = await sns.send(new ListTopicsCommand({ NextToken }));
      expect(page.Topics!.length).toBeLessThanOrEqual(100);
      listed.push(...page.Topics!.map((t) => t.TopicArn!));
      NextToken = page.NextToken;
      pages += 1;
    } while (NextToken);
    expect(pages).toBeGreaterThanOrEqual(2);
    for (const { TopicArn } of made) expect(listed).toContain(TopicArn);
    expect(new Set(listed).size).toBe(listed.length);
  }, 60_000);

  it("refuses a NextToken it did not hand out", async () => {
    await expectSnsError(sns.send(new ListTopicsCommand({ NextToken: "%%%" })), "InvalidParameterException", 400);
  });
});

describe("DeleteTopic", () => {
  it("removes the topic from the list and its attributes; deleting again succeeds", async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName("gone") }));
    await sns.send(new DeleteTopicCommand({ TopicArn }));
    await expectSnsError(sns.send(new GetTopicAttributesCommand({ TopicArn })), "NotFoundException", 404);
    await sns.send(new DeleteTopicCommand({ TopicArn }));
    const all: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await sns.send(new ListTopicsCommand({ NextToken }));
      all.push(...page.Topics!.map((t) => t.TopicArn!));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(all).not.toContain(TopicArn);
  });
});

describe("tags", () => {
  it("TagResource, ListTagsForResource and UntagResource", async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName("tags"), Tags: [{ Key: "a", Value: "1" }] }));
    await sns.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: [{ Key: "b", Value: "2" }, { Key: "a", Value: "3" }] }));
    let { Tags } = await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }));
    expect(Object.fromEntries(Tags!.map((t) => [t.Key, t.Value]))).toEqual({ a: "3", b: "2" });
    await sns.send(new UntagResourceCommand({ ResourceArn: TopicArn, TagKeys: ["a"] }));
    ({ Tags } = await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn })));
    expect(Tags).toEqual([{ Key: "b", Value: "2" }]);
  });

  it("answers ResourceNotFound for a topic that does not exist, TagLimitExceeded past 50", async () => {
    await expectSnsError(
      sns.send(new ListTagsForResourceCommand({ ResourceArn: "arn:aws:sns:us-east-1:000000000000:none-" + Date.now() })),
      "ResourceNotFoundException",
      404,
    );
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName("tags") }));
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    await expectSnsError(sns.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: many })), "TagLimitExceededException", 400);
  });
});

describe("AddPermission and RemovePermission", () => {
  it("let another account publish, and take it back", async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName("perm") }));
    const other = otherAccountSns();
    await expectSnsError(
      other.send(new GetTopicAttributesCommand({ TopicArn })),
      "AuthorizationErrorException",
      403,
      `User: arn:aws:iam::111111111111:root is not authorized to perform: SNS:GetTopicAttributes on resource: ${TopicArn}`,
    );
    await sns.send(new AddPermissionCommand({ TopicArn, Label: "other", AWSAccountId: ["111111111111"], ActionName: ["GetTopicAttributes"] }));
    const { Attributes } = await other.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(JSON.parse(Attributes!.Policy!).Statement.map((s: { Sid: string }) => s.Sid)).toContain("other");
    await expectSnsError(
      sns.send(new AddPermissionCommand({ TopicArn, Label: "other", AWSAccountId: ["111111111111"], ActionName: ["Publish"] })),
      "InvalidParameterException",
      400,
    );
    await sns.send(new RemovePermissionCommand({ TopicArn, Label: "other" }));
    await expectSnsError(other.send(new GetTopicAttributesCommand({ TopicArn })), "AuthorizationErrorException", 403);
  });
});

describe("data protection policy", () => {
  it("is stored and answered back", async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName("dp") }));
    expect((await sns.send(new GetDataProtectionPolicyCommand({ ResourceArn: TopicArn }))).DataProtectionPolicy).toBeUndefined();
    const policy = JSON.stringify({ Name: "p", Description: "", Version: "2021-06-01", Statement: [] });
    await sns.send(new PutDataProtectionPolicyCommand({ ResourceArn: TopicArn, DataProtectionPolicy: policy }));
    expect((await sns.send(new GetDataProtectionPolicyCommand({ ResourceArn: TopicArn }))).DataProtectionPolicy).toBe(policy);
    await expectSnsError(
      sns.send(new PutDataProtectionPolicyCommand({ ResourceArn: TopicArn, DataProtectionPolicy: "nope" })),
      "InvalidParameterException",
      400,
    );
  });
});
