/**
 * parseFilterPolicy: a FilterPolicy attribute's JSON, checked as AWS checks it at Subscribe and
 * SetSubscriptionAttributes, compiled for filterPolicyMatches. Throws SqsError InvalidParameter
 * with AWS's message. An empty FilterPolicy ("") removes the policy; callers handle it before this.
 */
import type { SqsError } from "../../../sdk/protocol/index.js";
import { compileBranches } from "./compile.js";
import { JsonSyntaxError } from "./json-reader.js";
import { checkPolicyLimits, checkPolicyNesting, checkPolicySize } from "./limits.js";
import { findOrRelationships } from "./or-relationships.js";
import { describeLocation, PolicyProblem, toSqsError } from "./policy-errors.js";
import type { FilterPolicy, FilterPolicyAction, FilterPolicyScope } from "./types.js";

export function parseFilterPolicy(
  json: string,
  scope: FilterPolicyScope,
  action: FilterPolicyAction = "SetSubscriptionAttributes",
): FilterPolicy {
  try {
    checkPolicySize(json);
    checkPolicyNesting(json);
    const branches = compileBranches(json, orRelationships(json));
    checkPolicyLimits(branches, scope);
    return {
      scope,
      branches: branches.map((branch) =>
        [...branch.entries()].map(([path, field]) => ({ path, names: field.names, patterns: field.patterns })),
      ),
    };
  } catch (error) {
    if (error instanceof PolicyProblem) throw toSqsError(error, json, action) satisfies SqsError;
    throw error;
  }
}

function orRelationships(json: string): Set<number> {
  try {
    return findOrRelationships(json);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const marker = error.startMarker ? ` (start marker at ${describeLocation(json, error.startMarker)})` : "";
    throw new PolicyProblem(`failed to parse JSON. ${error.reason}${marker}`, error.location);
  }
}
