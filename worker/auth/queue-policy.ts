/**
 * Does a queue's Policy attribute let an account do an SQS action on the queue? The statements
 * AddPermission writes and the common hand-written forms are understood:
 * Principal "*", {"AWS": "*" | account id | "arn:aws:iam::<account>:root" | a list of those},
 * Action "*" / "sqs:<Name>" with IAM wildcards (case-insensitive), Resource the queue ARN or a
 * wildcard pattern. An explicit Deny wins over any Allow, as in IAM.
 */

export interface PolicyRequest {
  /** The caller's 12-digit account id (a Sluice key stands for its account's root). */
  account: string;
  /** The IAM action name without its prefix, e.g. "SendMessage". */
  action: string;
  /** The queue's ARN. */
  resource: string;
}

interface Statement {
  Effect?: unknown;
  Principal?: unknown;
  Action?: unknown;
  Resource?: unknown;
  [key: string]: unknown;
}

/** Keys whose meaning this evaluator knows; anything else (Condition, NotAction, …) it cannot judge. */
const UNDERSTOOD_KEYS = new Set(["Sid", "Effect", "Principal", "Action", "Resource"]);
const ROOT_ARN = /^arn:aws[\w-]*:iam::(\d{12}):root$/;

export function policyAllows(raw: string | undefined, request: PolicyRequest): boolean {
  const statements = parseStatements(raw);
  let allowed = false;
  for (const statement of statements) {
    const understood = Object.keys(statement).every((key) => UNDERSTOOD_KEYS.has(key));
    if (statement.Effect === "Deny") {
      // A Deny we cannot fully read is honoured where it could apply: refusing is the safe mistake.
      if (!understood || matches(statement, request)) return false;
    } else if (statement.Effect === "Allow") {
      // An Allow we cannot fully read (a Condition, say) grants nothing.
      if (understood && matches(statement, request)) allowed = true;
    }
  }
  return allowed;
}

function parseStatements(raw: string | undefined): Statement[] {
  if (!raw) return [];
  try {
    const policy = JSON.parse(raw) as { Statement?: unknown };
    const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
    return statements.filter((s): s is Statement => typeof s === "object" && s !== null);
  } catch {
    // An unreadable policy grants nothing; the owner is never subject to it.
    return [];
  }
}

function matches(statement: Statement, request: PolicyRequest): boolean {
  return (
    principalMatches(statement.Principal, request.account) &&
    list(statement.Action).some((pattern) => actionMatches(pattern, request.action)) &&
    list(statement.Resource).some((pattern) => wildcard(pattern, false).test(request.resource))
  );
}

function principalMatches(principal: unknown, account: string): boolean {
  if (principal === "*") return true;
  if (typeof principal !== "object" || principal === null) return false;
  return list((principal as { AWS?: unknown }).AWS).some(
    (entry) => entry === "*" || entry === account || ROOT_ARN.exec(entry)?.[1] === account,
  );
}

/** "*" is every action; otherwise "sqs:<pattern>", the service prefix and name case-insensitive. */
function actionMatches(pattern: string, action: string): boolean {
  if (pattern === "*") return true;
  const colon = pattern.indexOf(":");
  if (colon < 0 || pattern.slice(0, colon).toLowerCase() !== "sqs") return false;
  return wildcard(pattern.slice(colon + 1), true).test(action);
}

/** IAM wildcards: `*` any run of characters, `?` any one character. */
function wildcard(pattern: string, ignoreCase: boolean): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`, ignoreCase ? "i" : "");
}

function list(value: unknown): string[] {
  const values = Array.isArray(value) ? value : [value];
  return values.filter((v): v is string => typeof v === "string");
}
