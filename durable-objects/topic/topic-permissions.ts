/** AddPermission and RemovePermission on a topic's Policy: statements named by their label (Sid). */
import { SqsError } from "../../sdk/protocol/index.js";

interface Policy {
  Version?: string;
  Id?: string;
  Statement: Record<string, unknown>[];
}

function parse(policy: string): Policy {
  const parsed = JSON.parse(policy) as Partial<Policy>;
  const statements = Array.isArray(parsed.Statement) ? parsed.Statement : parsed.Statement ? [parsed.Statement] : [];
  return { ...parsed, Statement: statements };
}

export function addTopicPermission(policy: string, topicArn: string, label: string, accountIds: string[], actions: string[]): string {
  const parsed = parse(policy);
  if (parsed.Statement.some((s) => s.Sid === label)) throw new SqsError("InvalidParameter", "Invalid parameter: Statement already exists");
  const principals = accountIds.map((id) => `arn:aws:iam::${id}:root`);
  parsed.Statement.push({
    Sid: label,
    Effect: "Allow",
    Principal: { AWS: principals.length === 1 ? principals[0] : principals },
    Action: actions.map((a) => `SNS:${a}`),
    Resource: topicArn,
  });
  return JSON.stringify(parsed);
}

/** A label the policy does not have changes nothing. */
export function removeTopicPermission(policy: string, label: string): string {
  const parsed = parse(policy);
  parsed.Statement = parsed.Statement.filter((s) => s.Sid !== label);
  return JSON.stringify(parsed);
}
