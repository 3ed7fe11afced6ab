/**
 * parseFilterPolicy's refusals (durable-objects/topic/filter-policy/): each bad policy gets
 * InvalidParameter (400) with AWS's words, and, for faults AWS's parser finds, the place it reports
 * (`\n at [Source: (String)"…"; line: L, column: C]`). The cases marked AWS are answers AWS gave
 * to Subscribe, as recorded by LocalStack's validated snapshots; the place they name is where this
 * reader must stand too.
 */
import { describe, expect, it } from "vitest";
import { SqsError } from "../../sdk/protocol/index.js";
import { parseFilterPolicy, type FilterPolicyScope } from "../../durable-objects/topic/filter-policy/index.js";

const SUBSCRIBE = "Invalid parameter: Attributes Reason: FilterPolicy: ";
const at = (policy: string, column: number, line = 1) => `\n at [Source: (String)"${policy}"; line: ${line}, column: ${column}]`;

/** [policy, reason, column]: refused by Subscribe with `${SUBSCRIBE}${reason}${at(policy, column)}`. */
const PARSER_FAULTS: [string, string, number][] = [
  // AWS: the general shape of a property.
  ['{"key":[["value"]]}', "Match value must be String, number, true, false, or null", 10],
  ['{"key":[{"wrong-operator":true}]}', "Unrecognized match type wrong-operator", 31],
  ['{"key":[{"suffix":"value","prefix":"value2"}]}', "Only one key allowed in match expression", 37],
  ['{"key":{"suffix":"value"}}', '"suffix" must be an object or an array', 19],
  ['{"key":{"suffix":"value","prefix":"value"}}', '"suffix" must be an object or an array', 19],
  ['{"key":{"not-an-operator":"value"}}', '"not-an-operator" must be an object or an array', 28],
  // AWS: string operators.
  ['{"key":[{"suffix":100}]}', "suffix match pattern must be a string", 22],
  ['{"key":[{"suffix":null}]}', "suffix match pattern must be a string", 23],
  ['{"key":[{"suffix":[]}]}', "suffix match pattern must be a string", 20],
  ['{"key":[{"suffix":["test","test2"]}]}', "suffix match pattern must be a string", 20],
  // AWS: numeric.
  ['{"key":[{"numeric":[]}]}', "Invalid member in numeric match: ]", 22],
  ['{"key":[{"numeric":["operator"]}]}', "Unrecognized numeric range operator: operator", 32],
  ['{"key":[{"numeric":[1,"<="]}]}', "Invalid member in numeric match: 1", 22],
  ['{"key":[{"numeric":["=","000"]}]}', "Value of equals must be numeric", 26],
  ['{"key":[{"numeric":[">="]}]}', "Value of >= must be numeric", 26],
  ['{"key":[{"numeric":["<",100,">",10]}]}', "Too many elements in numeric expression", 30],
  ['{"key":[{"numeric":[">=",1,">",2]}]}', "Bad numeric range operator: >", 31],
  ['{"key":[{"numeric":[">",3,"<",1]}]}', "Bottom must be less than top", 33],
  ['{"key":[{"numeric":[">",20,"<="]}]}', "Value of <= must be numeric", 33],
  ['{"key":[{"numeric":[">",20,30]}]}', "Bad value in numeric range: 30", 30],
  ['{"key":[{"numeric":[">",20,"test"]}]}', "Bad numeric range operator: test", 34],
  ['{"key":[{"numeric":[">","20","<","30"]}]}', "Value of > must be numeric", 26],
  ['{"key":[{"numeric":[">",20,"<","30"]}]}', "Value of < must be numeric", 33],
  ['{"key":[{"numeric":[">",20,"<",30,"<",50]}]}', "Too many terms in numeric range expression", 36],
  // AWS: exists.
  ['{"key":[{"exists":null}]}', "exists match pattern must be either true or false.", 23],
  ['{"key":[{"exists":"no"}]}', "exists match pattern must be either true or false.", 20],
  // AWS: anything-but takes a prefix and no other operator.
  ['{"key":[{"anything-but":{"wrong-operator":null}}]}', "Unsupported anything-but pattern: wrong-operator", 47],
  ['{"key":[{"anything-but":{"suffix":"test"}}]}', "Unsupported anything-but pattern: suffix", 36],
  ['{"key":[{"anything-but":{"exists":false}}]}', "Unsupported anything-but pattern: exists", 40],
  ['{"key":[{"anything-but":{"prefix":false}}]}', "prefix match pattern must be a string", 40],
  // The same compiler's other refusals (wording from AWS's rule compiler, place from this reader).
  ['{"key":[{"anything-but":{"equals-ignore-case":"x"}}]}', "Unsupported anything-but pattern: equals-ignore-case", 48],
  ['{"key":[{"anything-but":[]}]}', "Inside anything but list, either all values are number or string, mixed type is not supported", 27],
  ['{"key":[{"anything-but":["a",1]}]}', "Inside anything but list, either all values are number or string, mixed type is not supported", 32],
  ['{"key":[{"anything-but":[null]}]}', "Inside anything but list, start|null|boolean is not supported.", 30],
  ['{"key":[{"anything-but":true}]}', "Value of anything-but must be an array or single string/number value.", 29],
  ['{"key":[{"anything-but":"a","x":1}]}', "Too many elements in numeric expression", 34],
  ['{"key":[{"equals-ignore-case":5}]}', "equals-ignore-case match pattern must be a string", 32],
  ['{"key":[{"prefix":{"equals-ignore-case":"a"}}]}', "prefix match pattern must be a string", 20],
  ['{"key":[{"wildcard":"a*"}]}', "Unrecognized match type wildcard", 22],
  ['{"key":[{"cidr":10}]}', "prefix match pattern must be a string", 19],
  ['{"key":[{"exists":true,"prefix":"a"}]}', "Only one key allowed in match expression", 34],
  ['{"key":[{}]}', "Match expression name not found", 11],
  ['{"key":[{"numeric":">"}]}', "Value of numeric must be an array.", 21],
  ['{"key":[{"numeric":["=",1,2]}]}', "Too many elements in numeric expression", 28],
  ['{"key":[{"numeric":["<",1],"x":1}]}', "Too many elements in numeric expression", 33],
  ['{"key":[]}', "Empty arrays are not allowed", 10],
  ['{"key":"value_one"}', '"key" must be an object or an array', 9],
  ['{"key":5}', '"key" must be an object or an array', 9],
  ["{}", "Empty objects are not allowed", 3],
  ['{"key":{}}', "Empty objects are not allowed", 10],
  ["[1]", "Filter is not an object", 2],
  ['"text"', "Filter is not an object", 2],
  ['{"$or":[{"a":["1"]},{"b":{"prefix":["x"]}}]}', "prefix is Ruler reserved fieldName which cannot be used inside $or.", 37],
  // Numbers SNS cannot compare (AWS answers these with a 500 InternalFailure; Sluice refuses them).
  ['{"key":[1000000001]}', "Value must be between -1.0E9 and 1.0E9, inclusive", 19],
  ['{"key":[{"numeric":[">",-1000000000.5]}]}', "Value must be between -1.0E9 and 1.0E9, inclusive", 39],
  ['{"key":[{"anything-but":[5,2e9]}]}', "Value must be between -1.0E9 and 1.0E9, inclusive", 31],
];

function refusal(policy: string, scope: FilterPolicyScope = "MessageAttributes", action?: "Subscribe"): SqsError {
  try {
    parseFilterPolicy(policy, scope, action);
  } catch (error) {
    if (error instanceof SqsError) return error;
    throw error;
  }
  throw new Error(`accepted: ${policy}`);
}

describe("parseFilterPolicy refuses what AWS refuses, in AWS's words", () => {
  it.each(PARSER_FAULTS)("%s: %s", (policy, reason, column) => {
    const error = refusal(policy, "MessageAttributes", "Subscribe");
    expect(error.code).toBe("InvalidParameter");
    expect(error.spec.status).toBe(400);
    expect(error.message).toBe(`${SUBSCRIBE}${reason}${at(policy, column)}`);
    // The same fault in the other scope, and from SetSubscriptionAttributes (no "Attributes Reason: ").
    expect(refusal(policy, "MessageBody").message).toBe(`Invalid parameter: FilterPolicy: ${reason}${at(policy, column)}`);
  });

  it("counts lines and columns across line breaks", () => {
    const policy = '{\n  "key": [\r\n    {"numeric": [">", 3, "<", 1]}\n  ]\n}';
    expect(refusal(policy).message).toBe(`Invalid parameter: FilterPolicy: Bottom must be less than top${at(policy, 33, 3)}`);
  });

  it("quotes at most 500 characters of a long policy", () => {
    const policy = `{"a":[${'"x",'.repeat(200)}{"bad":1}]}`;
    const error = refusal(policy);
    const quoted = `"${policy.slice(0, 500)}"[truncated ${policy.length - 500} chars]`;
    expect(error.message).toBe(
      `Invalid parameter: FilterPolicy: Unrecognized match type bad\n at [Source: (String)${quoted}; line: 1, column: ${policy.length - 2}]`,
    );
  });

  it("refuses malformed CIDR blocks without a place", () => {
    const cases: [string, string][] = [
      ["10.0.0.0", "Malformed CIDR, one '/' required"],
      ["10.0.0.0/", "Malformed CIDR, one '/' required"],
      ["10.0.0.0/8/8", "Malformed CIDR, one '/' required"],
      ["10.0.0.0/x", "Malformed CIDR, mask bits must be an integer"],
      ["10.0.0.0/-1", "Malformed CIDR, mask bits must not be negative"],
      ["10.0.0/8", "Nonstandard IP address: 10.0.0"],
      ["10.0.0.256/8", "Invalid IP address: 10.0.0.256"],
      ["1::2::3/8", "Invalid IP address: 1::2::3"],
      ["::ffff:10.0.0.0/8", "Nonstandard IP address: ::ffff:10.0.0.0"],
      ["/8", "Nonstandard IP address: "],
      ["10.0.0.0/32", "IPv4 mask bits must be < 32"],
      ["2001:db8::/128", "IPv6 mask bits must be < 128"],
    ];
    for (const [cidr, reason] of cases) {
      expect(refusal(`{"ip":[{"cidr":"${cidr}"}]}`).message, cidr).toBe(`Invalid parameter: FilterPolicy: ${reason}`);
    }
  });

  it("refuses text that is not JSON as a parse failure, with the parser's reason and place", () => {
    const cases: [string, string, number][] = [
      ["{invalidjson}", "Unexpected character ('i' (code 105)): was expecting double-quote to start field name", 3],
      ['{"a":["b"],}', "Unexpected character ('}' (code 125)): was expecting double-quote to start field name", 13],
      ['{"a" ["b"]}', "Unexpected character ('[' (code 91)): was expecting a colon to separate field name and value", 7],
      ['{"a":["b" "c"]}', "Unexpected character ('\"' (code 34)): was expecting comma to separate Array entries", 12],
      ['{"a":["b",]}', "Unexpected character (']' (code 93)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", 12],
      ['{"a":[tru]}', "Unrecognized token 'tru': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", 10],
      ['{"a":[01]}', "Invalid numeric value: Leading zeroes not allowed", 9],
      ['{"a":["\\x"]}', "Unrecognized character escape 'x' (code 120)", 10],
    ];
    for (const [policy, reason, column] of cases) {
      expect(refusal(policy).message, policy).toBe(`Invalid parameter: FilterPolicy: failed to parse JSON. ${reason}${at(policy, column)}`);
    }
    const unclosed = '{"a":["b"]';
    expect(refusal(unclosed).message).toBe(
      "Invalid parameter: FilterPolicy: failed to parse JSON. Unexpected end-of-input: expected close marker for Object" +
        ` (start marker at [Source: (String)"${unclosed}"; line: 1, column: 1])${at(unclosed, 11)}`,
    );
  });

  it("reports syntax before meaning: a policy that is not JSON is a parse failure even if it is also invalid", () => {
    expect(refusal('{"key":[{"bad":1}], x}').message).toMatch(/^Invalid parameter: FilterPolicy: failed to parse JSON\. /);
  });
});
