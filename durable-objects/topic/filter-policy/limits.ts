/**
 * The limits of the developer guide's "Filter policy constraints", as AWS counts them:
 * - 256 KB of policy text (and, Sluice's own, no deeper nesting than the combinations allow);
 * - no nested properties when the scope is MessageAttributes;
 * - at most 5 keys: the top-level property names of each alternative a `$or` opens;
 * - at most 150 combinations: for each alternative, the product over its properties of
 *   (number of values × nesting depth), summed over the alternatives.
 */
import type { Branch } from "./compile.js";
import { PolicyProblem } from "./policy-errors.js";
import type { FilterPolicyScope } from "./types.js";

export const MAX_POLICY_BYTES = 256 * 1024;
export const MAX_KEYS = 5;
export const MAX_COMBINATIONS = 150;

/** Checked before the policy is read. */
export function checkPolicySize(source: string): void {
  const bytes = new TextEncoder().encode(source).length;
  if (bytes > MAX_POLICY_BYTES) {
    throw new PolicyProblem(`Filter policy can not be larger than ${MAX_POLICY_BYTES} bytes`);
  }
}

/**
 * Deeper than any policy within MAX_COMBINATIONS can be (each level of nesting counts once per
 * value, and a value's own array and operator object add two): refused before the policy is read,
 * whose reader recurses per level.
 */
export const MAX_NESTING = MAX_COMBINATIONS + 10;

/** Checked before the policy is read: the deepest nesting of arrays and objects, strings skipped. */
export function checkPolicyNesting(source: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_NESTING) throw new PolicyProblem("Filter policy is too complex");
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}

/** Checked once the policy has compiled. */
export function checkPolicyLimits(branches: Branch[], scope: FilterPolicyScope): void {
  const fields = branches.map((branch) => [...branch.values()]);
  if (scope === "MessageAttributes" && fields.some((branch) => branch.some((field) => field.names.length > 1))) {
    throw new PolicyProblem("Filter policy scope MessageAttributes does not support nested filter policy", undefined, "scope");
  }
  const keys = Math.max(...fields.map((branch) => new Set(branch.map((field) => field.names[0])).size));
  if (keys > MAX_KEYS) throw new PolicyProblem(`Filter policy can not have more than ${MAX_KEYS} keys`);
  if (combinations(fields) > MAX_COMBINATIONS) throw new PolicyProblem("Filter policy is too complex");
}

/** The developer guide's worked example: 4 values three levels deep and 3 values two deep make 3 × 4 × 2 × 3 = 72. */
export function combinations(branches: { names: string[]; patterns: unknown[] }[][]): number {
  let total = 0;
  for (const branch of branches) {
    total += branch.reduce((product, field) => product * field.patterns.length * field.names.length, 1);
  }
  return total;
}
