/**
 * Does a queue's Policy attribute let an account (or an AWS service acting for a resource, as SNS
 * does for a topic) do an SQS action on the queue? The statements AddPermission writes and the
 * common hand-written forms are understood:
 * Principal "*", {"AWS": "*" | account id | "arn:aws:iam::<account>:root" | a list of those},
 * {"Service": "sns.amazonaws.com" | a list}, Action "*" / "sqs:<Name>" with IAM wildcards
 * (case-insensitive), Resource the queue ARN or a wildcard pattern, and a Condition of
 * ArnEquals/ArnLike/StringEquals/StringLike on aws:SourceArn, aws:SourceAccount or
 * aws:SourceOwner (the form every SNS-to-SQS guide shows). A condition key the request does not
 * carry (an account's own call has no source ARN) fails the condition. An explicit Deny wins over
 * any Allow, as in IAM. The same evaluator reads a topic's Policy with the `sns` action prefix.
 */

export interface PolicyRequest {
  /** The caller's 12-digit account id (a Sluice key stands for its account's root). */
  account?: string;
  /** A service principal acting instead of an account, e.g. "sns.amazonaws.com". */
  service?: string;
  /** The resource the service acts for (aws:SourceArn), e.g. the topic delivering. */
  sourceArn?: string;
  /** The account owning that resource (aws:SourceAccount, aws:SourceOwner). */
  sourceAccount?: string;
  /** The service prefix of the policy's actions: "sqs" (a queue's Policy) unless said. */
  actionPrefix?: string;
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
const UNDERSTOOD_KEYS = new Set(["Sid", "Effect", "Principal", "Action", "Resource", "Condition"]);
const CONDITION_OPERATORS = new Set(["arnequals", "arnlike", "stringequals", "stringlike"]);
const CONDITION_KEYS = new Set(["aws:sourcearn", "aws:sourceaccount", "aws:sourceowner"]);
const ROOT_ARN = /^arn:aws[\w-]*:iam::(\d{12}):root$/;

export function policyAllows(raw: string | undefined, request: PolicyRequest): boolean {
  const statements = parseStatements(raw);
  let allowed = false;
  for (const statement of statements) {
    const understood =
      Object.keys(statement).every((key) => UNDERSTOOD_KEYS.has(key)) && conditionUnderstood(statement.Condition);
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
    principalMatches(statement.Principal, request) &&
    list(statement.Action).some((pattern) => actionMatches(pattern, request.action, request.actionPrefix ?? "sqs")) &&
    list(statement.Resource).some((pattern) => wildcard(pattern, false).test(request.resource)) &&
    conditionHolds(statement.Condition, request)
  );
}

function principalMatches(principal: unknown, request: PolicyRequest): boolean {
  if (principal === "*") return true;
  if (typeof principal !== "object" || principal === null) return false;
  const { AWS, Service } = principal as { AWS?: unknown; Service?: unknown };
  const { account, service } = request;
  if (list(AWS).some((entry) => entry === "*")) return true;
  if (account !== undefined && list(AWS).some((entry) => entry === account || ROOT_ARN.exec(entry)?.[1] === account)) return true;
  return service !== undefined && list(Service).some((entry) => entry === service);
}

/** "*" is every action; otherwise "<prefix>:<pattern>", the service prefix and name case-insensitive. */
function actionMatches(pattern: string, action: string, prefix: string): boolean {
  if (pattern === "*") return true;
  const colon = pattern.indexOf(":");
  if (colon < 0 || pattern.slice(0, colon).toLowerCase() !== prefix) return false;
  return wildcard(pattern.slice(colon + 1), true).test(action);
}

/** Only the operators and keys named above: anything else makes the statement one we cannot judge. */
function conditionUnderstood(condition: unknown): boolean {
  if (condition === undefined) return true;
  if (typeof condition !== "object" || condition === null) return false;
  return Object.entries(condition).every(
    ([operator, block]) =>
      CONDITION_OPERATORS.has(operator.toLowerCase()) &&
      typeof block === "object" &&
      block !== null &&
      Object.keys(block).every((key) => CONDITION_KEYS.has(key.toLowerCase())),
  );
}

/** Every operator's every key must match one of its values (IAM: AND across, OR within). */
function conditionHolds(condition: unknown, request: PolicyRequest): boolean {
  if (condition === undefined) return true;
  return Object.entries(condition as Record<string, Record<string, unknown>>).every(([operator, block]) =>
    Object.entries(block).every(([key, values]) => {
      const actual = key.toLowerCase() === "aws:sourcearn" ? request.sourceArn : request.sourceAccount;
      if (actual === undefined) return false;
      const op = operator.toLowerCase();
      // ArnEquals takes wildcards as ArnLike does; StringEquals compares exactly.
      return list(values).some((v) => (op === "stringequals" ? v === actual : wildcard(v, false).test(actual)));
    }),
  );
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
