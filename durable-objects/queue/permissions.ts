/**
 * AddPermission and RemovePermission: statements in the queue's Policy attribute, written the
 * way SQS writes them (sqs-spec.md 2.1). worker/auth/queue-policy.ts reads them for cross-account calls.
 */
import { SqsErrors } from "../../sdk/protocol/index.js";

interface Statement {
  Sid: string;
  Effect: string;
  Principal: { AWS: string | string[] };
  Action: string | string[];
  Resource: string;
}

interface Policy {
  Version: string;
  Id: string;
  Statement: Statement[];
}

const single = (values: string[]): string | string[] => (values.length === 1 ? values[0]! : values);

function parse(raw: string | undefined, queueArn: string): Policy {
  if (raw) {
    try {
      const policy = JSON.parse(raw) as Partial<Policy>;
      if (Array.isArray(policy.Statement)) return policy as Policy;
    } catch {
      // A policy SetQueueAttributes stored that we cannot read: start a new one beside it.
    }
  }
  return { Version: "2008-10-17", Id: `${queueArn}/SQSDefaultPolicy`, Statement: [] };
}

/** The Policy with one more statement; refuses a label that is already there. */
export function addPermission(
  raw: string | undefined,
  queueArn: string,
  label: string,
  accountIds: string[],
  actions: string[],
): string {
  const policy = parse(raw, queueArn);
  if (policy.Statement.some((s) => s.Sid === label)) {
    throw SqsErrors.invalidParameter("Label", label, "Already exists.");
  }
  policy.Statement.push({
    Sid: label,
    Effect: "Allow",
    Principal: { AWS: single(accountIds.map((id) => `arn:aws:iam::${id}:root`)) },
    Action: single(actions.map((a) => `SQS:${a}`)),
    Resource: queueArn,
  });
  return JSON.stringify(policy);
}

/** The Policy without the labelled statement, or undefined when none is left. */
export function removePermission(raw: string | undefined, queueArn: string, label: string): string | undefined {
  const policy = parse(raw, queueArn);
  const kept = policy.Statement.filter((s) => s.Sid !== label);
  if (kept.length === policy.Statement.length) {
    throw SqsErrors.invalidParameter("Label", label, "can't find label.");
  }
  return kept.length > 0 ? JSON.stringify({ ...policy, Statement: kept }) : undefined;
}
