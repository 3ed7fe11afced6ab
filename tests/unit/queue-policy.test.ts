import { describe, expect, it } from "vitest";
import { addPermission, removePermission } from "../../durable-objects/queue/permissions.js";
import { policyAllows } from "../../worker/auth/queue-policy.js";

const ARN = "arn:aws:sqs:us-east-1:000000000000:shared";
const OTHER = "111111111111";
const send = { account: OTHER, action: "SendMessage", resource: ARN };

const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const allow = (extra: object) => ({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: "SQS:SendMessage", Resource: ARN, ...extra });

describe("policyAllows", () => {
  it("grants nothing without a policy, or with one it cannot parse", () => {
    expect(policyAllows(undefined, send)).toBe(false);
    expect(policyAllows("", send)).toBe(false);
    expect(policyAllows("{not json", send)).toBe(false);
  });

  it("reads the statement AddPermission writes, for the named account and action only", () => {
    const raw = addPermission(undefined, ARN, "send", [OTHER], ["SendMessage"]);
    expect(policyAllows(raw, send)).toBe(true);
    expect(policyAllows(raw, { ...send, action: "ReceiveMessage" })).toBe(false);
    expect(policyAllows(raw, { ...send, account: "222222222222" })).toBe(false);
    expect(policyAllows(raw, { ...send, resource: "arn:aws:sqs:us-east-1:000000000000:other" })).toBe(false);
  });

  it("reads lists of principals and actions, and SQS:* as every action", () => {
    const raw = addPermission(undefined, ARN, "many", ["222222222222", OTHER], ["ReceiveMessage", "DeleteMessage"]);
    expect(policyAllows(raw, { ...send, action: "DeleteMessage" })).toBe(true);
    expect(policyAllows(raw, send)).toBe(false);
    const all = addPermission(raw, ARN, "all", [OTHER], ["*"]);
    expect(policyAllows(all, { ...send, action: "PurgeQueue" })).toBe(true);
    expect(policyAllows(removePermission(all, ARN, "all"), { ...send, action: "PurgeQueue" })).toBe(false);
  });

  it("matches action names case-insensitively, with IAM wildcards", () => {
    expect(policyAllows(policy(allow({ Action: "sqs:sendmessage" })), send)).toBe(true);
    expect(policyAllows(policy(allow({ Action: "sqs:*" })), send)).toBe(true);
    expect(policyAllows(policy(allow({ Action: "*" })), send)).toBe(true);
    expect(policyAllows(policy(allow({ Action: "sqs:Send*" })), send)).toBe(true);
    expect(policyAllows(policy(allow({ Action: "sqs:Receive*" })), send)).toBe(false);
    // Another service's action of the same name is not SQS's.
    expect(policyAllows(policy(allow({ Action: "sns:SendMessage" })), send)).toBe(false);
  });

  it("takes a bare account id, a wildcard principal, and a wildcard resource", () => {
    expect(policyAllows(policy(allow({ Principal: { AWS: OTHER } })), send)).toBe(true);
    expect(policyAllows(policy(allow({ Principal: "*" })), send)).toBe(true);
    expect(policyAllows(policy(allow({ Principal: { AWS: "*" } })), send)).toBe(true);
    expect(policyAllows(policy(allow({ Principal: { AWS: "arn:aws:iam::111111111111:user/bob" } })), send)).toBe(false);
    expect(policyAllows(policy(allow({ Resource: "arn:aws:sqs:*:000000000000:*" })), send)).toBe(true);
    expect(policyAllows(policy(allow({ Resource: "arn:aws:sqs:*:000000000000:other*" })), send)).toBe(false);
  });

  it("lets an explicit Deny win over an Allow", () => {
    const deny = { ...allow({}), Effect: "Deny" };
    expect(policyAllows(policy(allow({ Action: "sqs:*" }), deny), send)).toBe(false);
    expect(policyAllows(policy(allow({ Action: "sqs:*" }), deny), { ...send, action: "ReceiveMessage" })).toBe(true);
  });

  it("grants nothing through a statement it cannot fully judge, and honours such a Deny", () => {
    const conditional = allow({ Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:us-east-1:1:t" } } });
    expect(policyAllows(policy(conditional), send)).toBe(false);
    const notAction = { Effect: "Deny", Principal: "*", NotAction: "sqs:ReceiveMessage", Resource: ARN };
    expect(policyAllows(policy(allow({}), notAction), send)).toBe(false);
  });
});
