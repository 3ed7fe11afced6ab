/**
 * The filter policy limits (durable-objects/topic/filter-policy/limits.ts), counted as AWS counts
 * them: 5 keys, 150 combinations (values × depth, multiplied per property, summed over the
 * alternatives `$or` opens), 256 KB, and no nesting in MessageAttributes scope. Cases marked AWS
 * are policies AWS refused or accepted (LocalStack's validated snapshots, the developer guide).
 */
import { describe, expect, it } from "vitest";
import { SqsError } from "../../sdk/protocol/index.js";
import { parseFilterPolicy, type FilterPolicyScope } from "../../durable-objects/topic/filter-policy/index.js";

const TOO_COMPLEX = "Invalid parameter: FilterPolicy: Filter policy is too complex";
const TOO_MANY_KEYS = "Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys";
const values = (n: number, prefix = "v") => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

function outcome(policy: unknown, scope: FilterPolicyScope = "MessageAttributes", action?: "Subscribe"): string {
  try {
    parseFilterPolicy(typeof policy === "string" ? policy : JSON.stringify(policy), scope, action);
    return "accepted";
  } catch (error) {
    if (error instanceof SqsError) return error.message;
    throw error;
  }
}

describe("filter policy keys", () => {
  it("allows 5 keys and refuses 6 (AWS)", () => {
    const five = { a: ["1"], b: ["2"], c: ["3"], d: ["4"], e: ["5"] };
    expect(outcome(five)).toBe("accepted");
    expect(outcome({ ...five, f: ["6"] })).toBe(TOO_MANY_KEYS);
    expect(outcome({ ...five, f: ["6"] }, "MessageBody")).toBe(TOO_MANY_KEYS);
    expect(outcome({ ...five, f: ["6"] }, "MessageAttributes", "Subscribe")).toBe(
      "Invalid parameter: Attributes Reason: FilterPolicy: Filter policy can not have more than 5 keys",
    );
  });

  it("counts a nested property by its top-level key", () => {
    const nested = { a: { b: ["1"], c: ["1"], d: ["1"], e: ["1"], f: ["1"], g: ["1"] } };
    expect(outcome(nested, "MessageBody")).toBe("accepted");
  });

  it("counts keys in each alternative of $or", () => {
    const fourAndOne = { a: ["1"], b: ["1"], c: ["1"], d: ["1"], $or: [{ e: ["1"] }, { f: ["1"] }] };
    expect(outcome(fourAndOne)).toBe("accepted");
    const fiveAndOne = { a: ["1"], b: ["1"], c: ["1"], d: ["1"], e: ["1"], $or: [{ f: ["1"] }, { g: ["1"] }] };
    expect(outcome(fiveAndOne)).toBe(TOO_MANY_KEYS);
  });
});

describe("filter policy complexity", () => {
  it("allows 150 values for one key and refuses 151 (AWS)", () => {
    expect(outcome({ key: values(150) })).toBe("accepted");
    expect(outcome({ key: values(151) })).toBe(TOO_COMPLEX);
    expect(outcome({ key: values(151) }, "MessageAttributes", "Subscribe")).toBe(
      "Invalid parameter: Attributes Reason: FilterPolicy: Filter policy is too complex",
    );
  });

  it("multiplies the keys' value counts (AWS: 100 × 51)", () => {
    expect(outcome({ key1: values(100), key2: values(51) })).toBe(TOO_COMPLEX);
    expect(outcome({ key1: values(10), key2: values(15) })).toBe("accepted");
  });

  it("multiplies each nested key's count by its depth (AWS: 3 × 4 × 2 × 3 × 1 × 3 = 216)", () => {
    const nested = {
      key_a: { key_b: { key_c: ["value_one", "value_two", "value_three", "value_four"] } },
      key_d: { key_e: ["value_one", "value_two", "value_three"] },
      key_f: ["value_one", "value_two", "value_three"],
    };
    expect(outcome(nested, "MessageBody")).toBe(TOO_COMPLEX);
    // The developer guide's example without key_f: 3 × 4 × 2 × 3 = 72.
    expect(outcome({ key_a: nested.key_a, key_d: nested.key_d }, "MessageBody")).toBe("accepted");
  });

  it("adds the alternatives of $or (AWS: 24 + 64 + 64 = 152 refused, 18 + 48 + 84 = 150 accepted)", () => {
    const refused = {
      source: ["aws.cloudwatch", "aws.events", "aws.test", "aws.test2"],
      $or: [
        { metricName: ["CPUUtilization", "ReadLatency", "t1", "t2", "t3", "t4"] },
        {
          metricType: ["MetricType", "TestType", "TestType2", "TestType3"],
          $or: [{ metricId: [1234, 4321, 5678, 9012] }, { spaceId: [1, 2, 3, 4] }],
        },
      ],
    };
    expect(outcome(refused)).toBe(TOO_COMPLEX);
    const accepted = {
      source: ["aws.cloudwatch", "aws.events", "aws.test"],
      $or: [
        { metricName: ["CPUUtilization", "ReadLatency", "TestVal", "TestVal2", "TestVal3", "TestVal4"] },
        {
          metricType: ["MetricType", "TestType", "TestType2", "TestType3"],
          $or: [{ metricId: [1234, 4321, 5678, 9012] }, { spaceId: [1, 2, 3, 4, 5, 6, 7] }],
        },
      ],
    };
    expect(outcome(accepted)).toBe("accepted");
  });

  it("expands $or inside a nested property (AWS: 24 + 72 + 16 + 48 = 160)", () => {
    const policy = {
      $or: [{ metricName: ["CPUUtilization", "ReadLatency", "TestValue"] }, { namespace: ["AWS/EC2", "AWS/ES"] }],
      detail: {
        scope: ["Service", "Test"],
        $or: [{ source: ["aws.cloudwatch"] }, { type: ["CloudWatch Alarm State Change", "TestValue", "TestValue2"] }],
      },
    };
    expect(outcome(policy, "MessageBody")).toBe(TOO_COMPLEX);
    const smaller = { ...policy, detail: { ...policy.detail, scope: ["Service"] } };
    expect(outcome(smaller, "MessageBody")).toBe("accepted");
  });
});

describe("filter policy size", () => {
  const ofBytes = (bytes: number, filler = "x") => {
    const frame = '{"a":[""]}';
    const count = (bytes - frame.length) / new TextEncoder().encode(filler).length;
    return `{"a":["${filler.repeat(count)}"]}`;
  };

  it("allows 256 KB of policy and refuses a byte more", () => {
    expect(outcome(ofBytes(262_144))).toBe("accepted");
    expect(outcome(ofBytes(262_145))).toBe("Invalid parameter: FilterPolicy: Filter policy can not be larger than 262144 bytes");
  });

  it("counts UTF-8 bytes, not characters", () => {
    expect(outcome(ofBytes(262_144 + 2, "é"))).toBe(
      "Invalid parameter: FilterPolicy: Filter policy can not be larger than 262144 bytes",
    );
  });
});

describe("filter policy scope", () => {
  it("refuses nesting in MessageAttributes scope and allows it in MessageBody scope (AWS)", () => {
    const nested = { object: { key: [{ prefix: "auto-" }] } };
    expect(outcome(nested)).toBe("Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy");
    expect(outcome(nested, "MessageAttributes", "Subscribe")).toBe(
      "Invalid parameter: Attributes Reason: Filter policy scope MessageAttributes does not support nested filter policy",
    );
    expect(outcome(nested, "MessageBody")).toBe("accepted");
  });

  it("allows $or in MessageAttributes scope: its alternatives are not nesting", () => {
    expect(outcome({ $or: [{ a: ["1"] }, { b: ["2"] }] })).toBe("accepted");
  });

  it("reads $or as a property name when it is not an array of two or more objects free of operator names", () => {
    // One alternative, or an operator as a field name: "$or" is an attribute like any other.
    expect(outcome({ $or: [{ prefix: "a" }, { suffix: "b" }] })).toBe("accepted");
    expect(outcome({ $or: ["x", "y"] })).toBe("accepted");
    expect(outcome({ $or: [{ a: ["x"] }] })).toMatch(/^Invalid parameter: FilterPolicy: Unrecognized match type a\n at /);
  });
});

describe("filter policy nesting", () => {
  const nested = (depth: number) => '{"a":'.repeat(depth) + '["x"]' + "}".repeat(depth);

  it("refuses a policy nested deeper than any within the combinations as too complex, before reading it", () => {
    // 150 levels of one value are 150 combinations: the deepest a policy can be.
    expect(outcome(nested(150), "MessageBody")).toBe("accepted");
    expect(outcome(nested(151), "MessageBody")).toBe(TOO_COMPLEX);
    // Far deeper than the reader's recursion could go: refused, not a stack overflow.
    expect(outcome(nested(40_000), "MessageBody")).toBe(TOO_COMPLEX);
    expect(outcome(`{"a":${"[".repeat(100_000)}${"]".repeat(100_000)}}`, "MessageBody")).toBe(TOO_COMPLEX);
    // Brackets inside strings are not nesting.
    expect(outcome({ a: ["[".repeat(1000)] }, "MessageBody")).toBe("accepted");
  });
});
