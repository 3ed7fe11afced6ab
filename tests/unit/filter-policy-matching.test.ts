/**
 * filterPolicyMatches (durable-objects/topic/filter-policy/match.ts) against every case of
 * tests/e2e/sns/filter-cases.ts, the fixtures the SNS end-to-end tests publish through: each
 * operator in both scopes, String.Array, Binary and Number attributes, arrays, nulls and dotted
 * names in bodies, exists: false, and $or.
 */
import { describe, expect, it } from "vitest";
import { filterPolicyMatches, parseFilterPolicy } from "../../durable-objects/topic/filter-policy/index.js";
import { FILTER_CASES, INVALID_POLICY_CASES } from "../e2e/sns/filter-cases.js";
import { SqsError } from "../../sdk/protocol/index.js";

describe("filter policy matching", () => {
  it.each(FILTER_CASES.map((c) => [`${c.scope}: ${c.name}`, c] as const))("%s", (_, c) => {
    const policy = parseFilterPolicy(JSON.stringify(c.policy), c.scope);
    expect(filterPolicyMatches(policy, { body: c.body, attributes: c.attributes })).toBe(c.matches);
  });

  it("covers every operator in both scopes, with cases that match and cases that do not", () => {
    const operators = ["prefix", "suffix", "equals-ignore-case", "anything-but", "numeric", "exists", "cidr", "$or"];
    for (const scope of ["MessageAttributes", "MessageBody"] as const) {
      for (const operator of operators) {
        const cases = FILTER_CASES.filter((c) => c.scope === scope && JSON.stringify(c.policy).includes(`"${operator}"`));
        expect(cases.some((c) => c.matches), `${scope} ${operator} matching`).toBe(true);
        expect(cases.some((c) => !c.matches), `${scope} ${operator} not matching`).toBe(true);
      }
    }
  });

  it.each(INVALID_POLICY_CASES.map((c) => [c.message.split("\n")[0], c] as const))("refuses: %s", (_, c) => {
    let thrown: unknown;
    try {
      parseFilterPolicy(c.policy, c.scope);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SqsError);
    expect((thrown as SqsError).message).toBe(c.message);
  });
});
