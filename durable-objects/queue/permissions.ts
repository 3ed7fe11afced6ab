/**
 * AddPermission and RemovePermission: statements in the queue's Policy attribute, written the
 * way SQS writes them. worker/auth/queue-policy.ts reads them for cross-account calls.
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
  /** Stored by SetQueueAttributes, so any JSON: a statement may be null or not an object at all. */
  Statement: unknown[];
}

/** Whether a statement carries this Sid; anything that is not a statement object carries none. */
const labelled = (statement: unknown, label: string): boolean =>
  typeof statement === "object" && statement !== null && (statement as { Sid?: unknown }).Sid === label;

/**
 * Far deeper than any IAM policy, and shallow enough to be written back out: JSON.stringify
 * recurses, and a document nested thousands deep would overflow the stack as an internal error.
 */
const MAX_DEPTH = 256;

/** A stored policy too deep to change (the Worker refuses one now, but an older one may be stored). */
const tooDeep = () =>
  SqsErrors.invalidParameterValue("The queue's Policy attribute is nested too deeply to be changed; replace it with SetQueueAttributes.");

/** Whether a parsed JSON value nests deeper than MAX_DEPTH, found without recursion. */
function deeperThanAllowed(value: unknown): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, level] = stack.pop()!;
    if (typeof item !== "object" || item === null) continue;
    if (level > MAX_DEPTH) return true;
    for (const child of Object.values(item)) stack.push([child, level + 1]);
  }
  return false;
}

const single = (values: string[]): string | string[] => (values.length === 1 ? values[0]! : values);

function parse(raw: string | undefined, queueArn: string): Policy {
  if (raw) {
    let policy: Partial<Policy> | undefined;
    try {
      policy = JSON.parse(raw) as Partial<Policy>;
    } catch (error) {
      // Too deep even to read: not ours to replace.
      if (error instanceof RangeError) throw tooDeep();
      // A policy SetQueueAttributes stored that we cannot read: start a new one beside it.
    }
    if (deeperThanAllowed(policy)) throw tooDeep();
    if (policy && Array.isArray(policy.Statement)) return policy as Policy;
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
  if (policy.Statement.some((s) => labelled(s, label))) {
    throw SqsErrors.invalidParameter("Label", label, "Already exists.");
  }
  const statement: Statement = {
    Sid: label,
    Effect: "Allow",
    Principal: { AWS: single(accountIds.map((id) => `arn:aws:iam::${id}:root`)) },
    Action: single(actions.map((a) => `SQS:${a}`)),
    Resource: queueArn,
  };
  policy.Statement.push(statement);
  return JSON.stringify(policy);
}

/** The Policy without the labelled statement, or undefined when none is left. */
export function removePermission(raw: string | undefined, queueArn: string, label: string): string | undefined {
  const policy = parse(raw, queueArn);
  const kept = policy.Statement.filter((s) => !labelled(s, label));
  if (kept.length === policy.Statement.length) {
    throw SqsErrors.invalidParameter("Label", label, "can't find label.");
  }
  return kept.length > 0 ? JSON.stringify({ ...policy, Statement: kept }) : undefined;
}
