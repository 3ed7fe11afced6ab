/**
 * The Policy attribute as CreateQueue and SetQueueAttributes accept it: an IAM policy document,
 * whose statements are objects and which is no deeper than a policy can be. A policy the queue
 * object only stores as text would otherwise be read later, by AddPermission and
 * RemovePermission, and fail there as an internal error: a null statement has no Sid, and a
 * document nested thousands deep cannot be written back out.
 */
import { SqsErrors, type StringMap } from "../sdk/protocol/index.js";

/** Far deeper than any IAM policy (Statement, a statement, Condition, an operator, a key, a list). */
const MAX_DEPTH = 32;

export function checkPolicyAttribute(attributes: StringMap | undefined): void {
  const raw = attributes?.Policy;
  // Absent, or empty (which clears it).
  if (!raw) return;
  let policy: unknown;
  try {
    policy = JSON.parse(raw);
  } catch {
    throw SqsErrors.invalidAttributeValue("Policy");
  }
  if (!isObject(policy) || depth(policy) > MAX_DEPTH) throw SqsErrors.invalidAttributeValue("Policy");
  const statements = policy.Statement;
  if (statements === undefined) return;
  const list = Array.isArray(statements) ? statements : [statements];
  if (!list.every(isObject)) throw SqsErrors.invalidAttributeValue("Policy");
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Nesting depth of a parsed JSON value, without recursion (the value may be very deep). */
function depth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, level] = stack.pop()!;
    if (typeof item !== "object" || item === null) continue;
    deepest = Math.max(deepest, level);
    if (deepest > MAX_DEPTH) return deepest;
    for (const child of Object.values(item)) stack.push([child, level + 1]);
  }
  return deepest;
}
