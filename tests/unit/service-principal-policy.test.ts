/** The queue Policy evaluator for a topic delivering: the sns.amazonaws.com service principal and the aws:Source* conditions. */
import { describe, expect, it } from "vitest";
import { policyAllows } from "../../worker/auth/queue-policy.js";

const QUEUE = "arn:aws:sqs:us-east-1:000000000000:orders";
const TOPIC = "arn:aws:sns:us-east-1:000000000000:events";
const delivery = { service: "sns.amazonaws.com", action: "SendMessage", resource: QUEUE, sourceArn: TOPIC, sourceAccount: "000000000000" };

const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const fromTopic = (extra: object = {}) => ({
  Effect: "Allow",
  Principal: { Service: "sns.amazonaws.com" },
  Action: "sqs:SendMessage",
  Resource: QUEUE,
  Condition: { ArnEquals: { "aws:SourceArn": TOPIC } },
  ...extra,
});

describe("policyAllows for a service delivering for a resource", () => {
  it("takes the guides' statement, and refuses another topic, service or action", () => {
    expect(policyAllows(policy(fromTopic()), delivery)).toBe(true);
    expect(policyAllows(policy(fromTopic()), { ...delivery, sourceArn: `${TOPIC}-other` })).toBe(false);
    expect(policyAllows(policy(fromTopic()), { ...delivery, service: "events.amazonaws.com" })).toBe(false);
    expect(policyAllows(policy(fromTopic()), { ...delivery, action: "ReceiveMessage" })).toBe(false);
    expect(policyAllows(undefined, delivery)).toBe(false);
  });

  it("needs the condition's key: without a source ARN (an account's own call) the statement does not apply", () => {
    expect(policyAllows(policy(fromTopic({ Principal: "*" })), { account: "111111111111", action: "SendMessage", resource: QUEUE })).toBe(false);
    // A service principal is no account principal.
    expect(policyAllows(policy(fromTopic({ Condition: undefined })), { account: "111111111111", action: "SendMessage", resource: QUEUE })).toBe(false);
  });

  it("reads ArnLike and ArnEquals with wildcards, StringEquals exactly, lists as any-of, several operators as all-of", () => {
    const like = (pattern: string) => policy(fromTopic({ Condition: { ArnLike: { "aws:SourceArn": pattern } } }));
    expect(policyAllows(like("arn:aws:sns:*:000000000000:ev*"), delivery)).toBe(true);
    expect(policyAllows(like("arn:aws:sns:*:111111111111:*"), delivery)).toBe(false);
    expect(policyAllows(policy(fromTopic({ Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:us-east-1:000000000000:*" } } })), delivery)).toBe(true);
    expect(policyAllows(policy(fromTopic({ Condition: { StringEquals: { "aws:SourceArn": TOPIC.replace("events", "ev*") } } })), delivery)).toBe(false);
    expect(policyAllows(policy(fromTopic({ Condition: { StringLike: { "aws:SourceArn": [`${TOPIC}-x`, "arn:aws:sns:*:*:events"] } } })), delivery)).toBe(true);
    const both = { ArnEquals: { "aws:SourceArn": TOPIC }, StringEquals: { "aws:SourceAccount": "999999999999" } };
    expect(policyAllows(policy(fromTopic({ Condition: both })), delivery)).toBe(false);
    const bothHold = { ArnEquals: { "aws:SourceArn": TOPIC }, StringEquals: { "aws:SourceOwner": "000000000000" } };
    expect(policyAllows(policy(fromTopic({ Condition: bothHold })), delivery)).toBe(true);
  });

  it("lets Principal \"*\" and {AWS: \"*\"} include the service, and a matching Deny win", () => {
    expect(policyAllows(policy(fromTopic({ Principal: "*" })), delivery)).toBe(true);
    expect(policyAllows(policy(fromTopic({ Principal: { AWS: "*" } })), delivery)).toBe(true);
    expect(policyAllows(policy(fromTopic(), fromTopic({ Effect: "Deny" })), delivery)).toBe(false);
  });

  it("grants nothing through a condition it cannot judge, and honours such a Deny", () => {
    const unknownOperator = fromTopic({ Condition: { DateGreaterThan: { "aws:CurrentTime": "2020-01-01T00:00:00Z" } } });
    expect(policyAllows(policy(unknownOperator), delivery)).toBe(false);
    const unknownKey = fromTopic({ Condition: { StringEquals: { "aws:PrincipalOrgID": "o-1" } } });
    expect(policyAllows(policy(unknownKey), delivery)).toBe(false);
    expect(policyAllows(policy(fromTopic(), { ...unknownKey, Effect: "Deny" }), delivery)).toBe(false);
  });

  it("reads a topic's Policy with the sns action prefix", () => {
    const topicPolicy = policy({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: ["SNS:Publish"], Resource: TOPIC });
    const request = { account: "111111111111", action: "Publish", resource: TOPIC, actionPrefix: "sns" };
    expect(policyAllows(topicPolicy, request)).toBe(true);
    expect(policyAllows(topicPolicy, { ...request, action: "Subscribe" })).toBe(false);
    expect(policyAllows(topicPolicy, { ...request, actionPrefix: "sqs" })).toBe(false);
  });
});
