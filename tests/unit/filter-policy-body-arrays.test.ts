/**
 * MessageBody matching over arrays (durable-objects/topic/filter-policy/match.ts): the fields of a
 * branch must take their values from one element of any array they share, a dotted key outside
 * the array still counts, and a large array costs linear time, not a search over every pairing.
 */
import { describe, expect, it } from "vitest";
import { filterPolicyMatches, parseFilterPolicy } from "../../durable-objects/topic/filter-policy/index.js";

const matches = (policy: unknown, body: unknown) =>
  filterPolicyMatches(parseFilterPolicy(JSON.stringify(policy), "MessageBody"), {
    body: typeof body === "string" ? body : JSON.stringify(body),
    attributes: {},
  });

describe("arrays in message bodies", () => {
  const policy = { Records: { name: ["a"], size: [{ numeric: [">", 10] }] } };

  it("takes a branch's values from one element of a shared array", () => {
    expect(matches(policy, { Records: [{ name: "a", size: 11 }] })).toBe(true);
    expect(matches(policy, { Records: [{ name: "a", size: 1 }, { name: "b", size: 11 }] })).toBe(false);
    expect(matches(policy, { Records: [{ name: "b", size: 11 }, { name: "a", size: 12 }] })).toBe(true);
  });

  it("lets values come from different arrays when the arrays are not shared", () => {
    const twoArrays = { names: ["a"], sizes: [{ numeric: [">", 10] }] };
    expect(matches(twoArrays, { names: ["b", "a"], sizes: [11, 1] })).toBe(true);
  });

  it("applies within nested arrays at every level", () => {
    const nested = { a: { b: { c: ["x"], d: ["y"] } } };
    expect(matches(nested, { a: [{ b: [{ c: "x", d: "z" }, { c: "z", d: "y" }] }] })).toBe(false);
    expect(matches(nested, { a: [{ b: [{ c: "x", d: "z" }] }, { b: [{ c: "x", d: "y" }] }] })).toBe(true);
  });

  it("counts a dotted key beside the array as well as the array's elements", () => {
    const body = { "Records.name": "a", Records: [{ size: 11 }] };
    expect(matches(policy, body)).toBe(true);
  });

  it("applies $or alternatives each with its own choice of element", () => {
    const either = { Records: { $or: [{ name: ["a"] }, { size: [{ numeric: [">", 10] }] }] } };
    expect(matches(either, { Records: [{ name: "b", size: 1 }, { name: "c", size: 20 }] })).toBe(true);
  });

  it("stays linear on a large array whose elements each meet only one field", () => {
    // 20,000 elements, half with name "a", half with other "b": 10^8 pairings, none in one element.
    const records = Array.from({ length: 20_000 }, (_, i) => (i % 2 === 0 ? { name: "a" } : { other: "b" }));
    const started = Date.now();
    expect(matches({ Records: { name: ["a"], other: ["b"] } }, { Records: records })).toBe(false);
    expect(matches({ Records: { name: ["a"], other: ["b"] } }, { Records: [...records, { name: "a", other: "b" }] })).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
