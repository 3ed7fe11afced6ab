/**
 * Filter policy cases for end-to-end tests through @aws-sdk/client-sns: subscribe a queue with
 * `policy` (JSON.stringify it) and `scope`, publish `body` with `attributes`, and the queue gets
 * the message exactly when `matches`. Every case holds with RawMessageDelivery on and off. The unit
 * tests (tests/unit/filter-policy-*.test.ts) run every case against the matcher itself.
 *
 * `source` says where the expectation comes from: "AWS" (a recorded AWS answer: LocalStack's
 * validated snapshots), "docs" (an example of the SNS developer guide), or "matcher" (what AWS's
 * rule matcher does, where no AWS answer was found).
 */

export type FilterScope = "MessageAttributes" | "MessageBody";

export interface CaseAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

export interface FilterCase {
  name: string;
  scope: FilterScope;
  policy: Record<string, unknown>;
  body: string;
  attributes: Record<string, CaseAttribute>;
  matches: boolean;
  source: "AWS" | "docs" | "matcher";
}

type Attrs = Record<string, CaseAttribute>;
const str = (value: string): CaseAttribute => ({ DataType: "String", StringValue: value });
const num = (value: string): CaseAttribute => ({ DataType: "Number", StringValue: value });
const arr = (values: unknown[]): CaseAttribute => ({ DataType: "String.Array", StringValue: JSON.stringify(values) });
const bin = (): CaseAttribute => ({ DataType: "Binary", BinaryValue: new Uint8Array([1, 2, 3]) });

const attributes =
  (source: FilterCase["source"], policy: Record<string, unknown>) =>
  (name: string, attrs: Attrs, matches: boolean, text = "a message"): FilterCase => ({
    name,
    scope: "MessageAttributes",
    policy,
    body: text,
    attributes: attrs,
    matches,
    source,
  });

const body =
  (source: FilterCase["source"], policy: Record<string, unknown>) =>
  (name: string, text: string, matches: boolean, attrs: Attrs = {}): FilterCase => ({
    name,
    scope: "MessageBody",
    policy,
    body: text,
    attributes: attrs,
    matches,
    source,
  });

const interests = { customer_interests: ["rugby", "tennis"] };
const anythingBut = { customer_interests: [{ "anything-but": ["rugby", "tennis"] }] };
const price = { price: [{ "anything-but": [100, 500] }] };

export const FILTER_CASES: FilterCase[] = [
  // Exact strings.
  attributes("docs", interests)("exact string: String attribute rugby", { customer_interests: str("rugby") }, true),
  attributes("docs", interests)("exact string: String attribute baseball", { customer_interests: str("baseball") }, false),
  attributes("docs", interests)("exact string: String.Array with rugby", { customer_interests: arr(["rugby", "tennis"]) }, true),
  attributes("docs", interests)("exact string: String.Array without", { customer_interests: arr(["baseball"]) }, false),
  attributes("matcher", interests)("exact string: case matters", { customer_interests: str("Rugby") }, false),
  attributes("matcher", interests)("exact string: attribute absent", { other: str("rugby") }, false),
  attributes("matcher", { n: ["5"] })("exact string: a Number attribute is not a string", { n: num("5") }, false),
  attributes("matcher", { n: [5] })("exact number: a String attribute is not a number", { n: str("5") }, false),
  body("docs", interests)("exact string: body property rugby", '{"customer_interests":"rugby"}', true),
  body("docs", interests)("exact string: body property baseball", '{"customer_interests":"baseball"}', false),
  body("matcher", interests)("exact string: body array element", '{"customer_interests":["baseball","rugby"]}', true),
  body("matcher", interests)("exact string: an object is not a value", '{"customer_interests":{"x":"rugby"}}', false),
  body("matcher", interests)("exact string: body that is not JSON", "rugby", false),
  body("matcher", interests)("exact string: body that is a JSON array", '[{"customer_interests":"rugby"}]', false),

  // Exact numbers: compared as numbers, to six decimal places.
  attributes("docs", { price_usd: [{ numeric: ["=", 301.5] }] })("numeric =: Number 301.5", { price_usd: num("301.5") }, true),
  attributes("docs", { price_usd: [{ numeric: ["=", 301.5] }] })("numeric =: Number 3.015e2", { price_usd: num("3.015e2") }, true),
  body("docs", { price_usd: [{ numeric: ["=", 301.5] }] })("numeric =: body 3.015e2", '{"price_usd":3.015e2}', true),
  attributes("matcher", { n: [5] })("exact number: 5 matches 5.0", { n: num("5.0") }, true),
  attributes("matcher", { n: [5] })("exact number: 5 does not match 5.000001", { n: num("5.000001") }, false),
  attributes("matcher", { n: [5] })("exact number: beyond six decimals is equal", { n: num("5.0000001") }, true),
  body("matcher", { n: [5] })("exact number: body 5.0", '{"n":5.0}', true),
  body("matcher", { n: [5] })("exact number: body string \"5\" is not a number", '{"n":"5"}', false),

  // Numeric ranges.
  attributes("AWS", { attr1: [{ numeric: [">", 0, "<=", 100] }] })("numeric range: 99 in (0, 100]", { attr1: num("99") }, true),
  attributes("AWS", { attr1: [{ numeric: [">", 0, "<=", 100] }] })("numeric range: 111 outside", { attr1: num("111") }, false),
  attributes("matcher", { attr1: [{ numeric: [">", 0, "<=", 100] }] })("numeric range: 100 included", { attr1: num("100") }, true),
  attributes("matcher", { attr1: [{ numeric: [">", 0, "<=", 100] }] })("numeric range: 0 excluded", { attr1: num("0") }, false),
  attributes("docs", { price_usd: [{ numeric: ["<", 0] }] })("numeric <: negative", { price_usd: num("-0.5") }, true),
  attributes("matcher", { n: [{ numeric: [">=", 10] }] })("numeric >=: 10", { n: num("10") }, true),
  attributes("matcher", { n: [{ numeric: [">", 10] }] })("numeric: a String attribute is not a number", { n: str("15") }, false),
  attributes("matcher", { n: [{ numeric: [">", 10] }] })("numeric: String.Array elements", { n: arr([1, 15]) }, true),
  attributes("matcher", { n: [{ numeric: [">", 10] }] })("numeric: String.Array without", { n: arr([1, 2]) }, false),
  attributes("matcher", { n: [{ numeric: [">", 10] }] })("numeric: String.Array of strings", { n: arr(["15"]) }, false),
  body("matcher", { n: [{ numeric: [">", 10] }] })("numeric: body array element", '{"n":[1,15]}', true),
  body("matcher", { n: [{ numeric: [">", 10] }] })("numeric: body string", '{"n":"15"}', false),

  // anything-but.
  attributes("docs", anythingBut)("anything-but: baseball", { customer_interests: str("baseball") }, true),
  attributes("docs", anythingBut)("anything-but: rugby", { customer_interests: str("rugby") }, false),
  attributes("docs", anythingBut)("anything-but: String.Array with a listed element", { customer_interests: arr(["rugby", "baseball"]) }, false),
  attributes("docs", anythingBut)("anything-but: String.Array with none listed", { customer_interests: arr(["baseball", "football"]) }, true),
  attributes("matcher", anythingBut)("anything-but: absent attribute", { other: str("x") }, false),
  attributes("AWS", { attr1: [null, { "anything-but": "whatever" }] })("anything-but or null: attribute absent", {}, false),
  attributes("docs", price)("anything-but numbers: 101", { price: num("101") }, true),
  attributes("docs", price)("anything-but numbers: 100.1", { price: num("100.1") }, true),
  attributes("docs", price)("anything-but numbers: 100", { price: num("100") }, false),
  attributes("matcher", price)("anything-but numbers: 100.0", { price: num("100.0") }, false),
  attributes("matcher", { price: [{ "anything-but": 100 }] })("anything-but one number: 100", { price: num("100") }, false),
  body("docs", price)("anything-but numbers: body 101", '{"price":101}', true),
  body("docs", price)("anything-but numbers: body 100", '{"price":100}', false),
  body("docs", price)("anything-but numbers: body array with another value", '{"price":[100,50]}', true),
  body("docs", anythingBut)("anything-but: body baseball", '{"customer_interests":"baseball"}', true),
  attributes("docs", { event: [{ "anything-but": { prefix: "order-" } }] })("anything-but prefix: data-entry", { event: str("data-entry") }, true),
  attributes("docs", { event: [{ "anything-but": { prefix: "order-" } }] })("anything-but prefix: order_number", { event: str("order_number") }, true),
  attributes("docs", { event: [{ "anything-but": { prefix: "order-" } }] })("anything-but prefix: order-cancelled", { event: str("order-cancelled") }, false),
  attributes("matcher", anythingBut)("anything-but: a Binary attribute has no value", { customer_interests: bin() }, false),

  // prefix, suffix, equals-ignore-case.
  attributes("docs", { customer_interests: [{ prefix: "bas" }] })("prefix: baseball", { customer_interests: str("baseball") }, true),
  attributes("docs", { customer_interests: [{ prefix: "bas" }] })("prefix: rugby", { customer_interests: str("rugby") }, false),
  attributes("matcher", { customer_interests: [{ prefix: "bas" }] })("prefix: String.Array element", { customer_interests: arr(["rugby", "basketball"]) }, true),
  attributes("matcher", { n: [{ prefix: "12" }] })("prefix: a Number attribute is not a string", { n: num("12345") }, false),
  attributes("docs", { customer_interests: [{ suffix: "ball" }] })("suffix: baseball", { customer_interests: str("baseball") }, true),
  attributes("docs", { customer_interests: [{ suffix: "ball" }] })("suffix: rugby", { customer_interests: str("rugby") }, false),
  attributes("docs", { customer_interests: [{ "equals-ignore-case": "RUGBY" }] })("equals-ignore-case: rugby", { customer_interests: str("rugby") }, true),
  attributes("docs", { customer_interests: [{ "equals-ignore-case": "RUGBY" }] })("equals-ignore-case: rugbys", { customer_interests: str("rugbys") }, false),
  body("AWS", { object: { key: [{ prefix: "auto-" }] } })("prefix: nested body property", '{"object":{"key":"auto-test"}}', true),
  body("AWS", { object: { key: [{ prefix: "auto-" }] } })("prefix: nested body property without", '{"object":{"key":"manual"}}', false),
  body("matcher", { name: [{ suffix: ".png" }] })("suffix: body", '{"name":"cat.png"}', true),
  body("matcher", { name: [{ "equals-ignore-case": "Cat" }] })("equals-ignore-case: body", '{"name":"CAT"}', true),
  body("matcher", { name: [{ suffix: ".png" }] })("suffix: body without", '{"name":"cat.jpg"}', false),
  body("matcher", { name: [{ "equals-ignore-case": "Cat" }] })("equals-ignore-case: body without", '{"name":"Dog"}', false),

  // exists.
  attributes("AWS", { store: [{ exists: true }] })("exists: attribute present", { store: num("99"), def: num("99") }, true),
  attributes("AWS", { store: [{ exists: true }] })("exists: attribute absent", { attr1: num("111") }, false),
  attributes("AWS", { store: [{ exists: false }] })("exists false: attribute absent", { def: num("99") }, true),
  attributes("matcher", { store: [{ exists: false }] })("exists false: attribute present", { store: str("fans") }, false),
  attributes("matcher", { store: [{ exists: false }] })("exists false: no attributes at all", {}, true),
  attributes("matcher", { store: [{ exists: true }] })("exists: a Binary attribute is present", { store: bin() }, true),
  attributes("matcher", { store: [{ exists: false }, "x"] })("exists false or x: absent", {}, true),
  attributes("matcher", { store: [{ exists: false }, "x"] })("exists false or x: x", { store: str("x") }, true),
  attributes("matcher", { store: [{ exists: false }, "x"] })("exists false or x: y", { store: str("y") }, false),
  body("docs", { store: [{ exists: true }] })("exists: body property present", '{"store":"fans","customer_interests":["baseball"]}', true),
  body("docs", { store: [{ exists: true }] })("exists: body property absent", '{"customer_interests":["baseball"]}', false),
  body("docs", { store: [{ exists: false }] })("exists false: body property absent", '{"customer_interests":["baseball"]}', true),
  body("docs", { store: [{ exists: false }] })("exists false: body property present", '{"store":"fans"}', false),
  body("matcher", { store: [{ exists: false }] })("exists false: null is a value", '{"store":null}', false),
  body("matcher", { store: [{ exists: false }] })("exists false: an empty array has no value", '{"store":[]}', true),
  body("matcher", { store: [{ exists: true }] })("exists: an object is not a value", '{"store":{"a":1}}', false),
  body("matcher", { store: [{ exists: false }] })("exists false: body that is not JSON", "not json", false),
  body("matcher", { a: { b: [{ exists: false }] } })("exists false: nested, parent absent", "{}", true),
  body("matcher", { a: { b: [{ exists: false }] } })("exists false: nested, sibling present", '{"a":{"c":1}}', true),

  // cidr.
  attributes("docs", { source_ip: [{ cidr: "10.0.0.0/24" }] })("cidr: 10.0.0.0", { source_ip: str("10.0.0.0") }, true),
  attributes("docs", { source_ip: [{ cidr: "10.0.0.0/24" }] })("cidr: 10.0.0.255", { source_ip: str("10.0.0.255") }, true),
  attributes("docs", { source_ip: [{ cidr: "10.0.0.0/24" }] })("cidr: 10.1.1.0", { source_ip: str("10.1.1.0") }, false),
  attributes("matcher", { source_ip: [{ cidr: "10.0.0.0/24" }] })("cidr: not an address", { source_ip: str("host") }, false),
  attributes("matcher", { source_ip: [{ cidr: "10.0.0.0/24" }] })("cidr: IPv4-mapped IPv6", { source_ip: str("::ffff:a00:7") }, true),
  attributes("matcher", { source_ip: [{ cidr: "10.0.0.0/24" }] })("cidr: a dotted IPv6 form is not read", { source_ip: str("::ffff:10.0.0.7") }, false),
  attributes("matcher", { source_ip: [{ cidr: "10.0.0.5/24" }] })("cidr: the block starts at its written address", { source_ip: str("10.0.0.4") }, false),
  attributes("matcher", { ip: [{ cidr: "2001:db8::/32" }] })("cidr IPv6: inside", { ip: str("2001:db8:1::1") }, true),
  attributes("matcher", { ip: [{ cidr: "2001:db8::/32" }] })("cidr IPv6: outside", { ip: str("2001:db9::1") }, false),
  attributes("matcher", { ip: [{ cidr: "2001:db8::/32" }] })("cidr IPv6: an IPv4 address", { ip: str("10.0.0.1") }, false),
  body("matcher", { ip: [{ cidr: "192.168.0.0/16" }] })("cidr: body", '{"ip":"192.168.3.4"}', true),
  body("matcher", { ip: [{ cidr: "192.168.0.0/16" }] })("cidr: body outside", '{"ip":"192.169.3.4"}', false),

  // $or.
  ...(() => {
    const policy = { source: ["aws.cloudwatch"], $or: [{ metricName: ["CPUUtilization"] }, { namespace: ["AWS/EC2"] }] };
    return [
      attributes("docs", policy)("$or: first alternative", { source: str("aws.cloudwatch"), metricName: str("CPUUtilization") }, true),
      attributes("docs", policy)("$or: second alternative", { source: str("aws.cloudwatch"), namespace: str("AWS/EC2") }, true),
      attributes("docs", policy)("$or: no alternative", { source: str("aws.cloudwatch") }, false),
      attributes("docs", policy)("$or: alternative without the common key", { metricName: str("CPUUtilization") }, false),
    ];
  })(),
  body("matcher", { detail: { $or: [{ a: ["1"] }, { b: ["2"] }] } })("$or nested in the body: second", '{"detail":{"b":"2"}}', true),
  body("matcher", { detail: { $or: [{ a: ["1"] }, { b: ["2"] }] } })("$or nested in the body: neither", '{"detail":{"b":"1"}}', false),

  // null and booleans (body).
  body("matcher", { a: [null] })("null: body null", '{"a":null}', true),
  body("matcher", { a: [null] })("null: body \"null\" is a string", '{"a":"null"}', false),
  body("matcher", { a: [null] })("null: absent is not null", "{}", false),
  body("matcher", { flag: [true] })("boolean: body true", '{"flag":true}', true),
  body("matcher", { flag: [true] })("boolean: body \"true\" is a string", '{"flag":"true"}', false),

  // Dotted names.
  attributes("matcher", { "a.b": ["x"] })("dotted key: the attribute named a.b", { "a.b": str("x") }, true),
  attributes("matcher", { "a.b": ["x"] })("dotted key: not the attribute a", { a: str("x") }, false),
  body("AWS", { "object.nested": ["string.value"] })("dotted key: nested body", '{"object":{"nested":"string.value"}}', true),
  body("AWS", { "object.nested": ["string.value"] })("dotted key: dotted body key", '{"object.nested":"string.value"}', true),
  body("AWS", { object: { "nested.test": ["string.value"] } })("dotted key: deep nested body", '{"object":{"nested":{"test":"string.value"}}}', true),
  body("AWS", { object: { "nested.test": ["string.value"] } })("dotted key: mixed body", '{"object.nested":{"test":"string.value"}}', true),

  // Arrays in bodies.
  body("AWS", { headers: { "route-to": ["queue1"] } })("array: element matches", '{"headers":{"route-to":["queue1","queue2"]}}', true),
  body("AWS", { headers: { "route-to": ["queue1"] } })("array: no element matches", '{"headers":{"route-to":["queue2"]}}', false),
  body("AWS", { Records: { s3: { object: { key: [{ prefix: "auto-" }] } } } })(
    "array of objects: one record matches",
    '{"Records":[{"s3":{"object":{"key":"home-1.xml"}}},{"s3":{"object":{"key":"auto-2.xml"}}}]}',
    true,
  ),
  body("matcher", { a: ["x"] })("array: nested arrays", '{"a":[["y"],["x"]]}', true),
  body("matcher", { Records: { name: ["a"], size: [1] } })(
    "array of objects: both fields from one element",
    '{"Records":[{"name":"a","size":1},{"name":"b","size":2}]}',
    true,
  ),
  body("matcher", { Records: { name: ["a"], size: [1] } })(
    "array of objects: fields from different elements",
    '{"Records":[{"name":"a","size":2},{"name":"b","size":1}]}',
    false,
  ),

  // Each scope reads only its own part of the message.
  body("matcher", { a: ["x"] })("MessageBody scope ignores attributes", "{}", false, { a: str("x") }),
  attributes("matcher", { a: ["x"] })("MessageAttributes scope ignores the body", {}, false, '{"a":"x"}'),
];

/** Policies SNS refuses, with the message SetSubscriptionAttributes answers (Subscribe adds "Attributes Reason: "). */
export const INVALID_POLICY_CASES: { policy: string; scope: FilterScope; message: string }[] = [
  {
    policy: '{"key":[{"numeric":[">",3,"<",1]}]}',
    scope: "MessageAttributes",
    message:
      'Invalid parameter: FilterPolicy: Bottom must be less than top\n at [Source: (String)"{"key":[{"numeric":[">",3,"<",1]}]}"; line: 1, column: 33]',
  },
  {
    policy: '{"key":[{"wrong-operator":true}]}',
    scope: "MessageAttributes",
    message:
      'Invalid parameter: FilterPolicy: Unrecognized match type wrong-operator\n at [Source: (String)"{"key":[{"wrong-operator":true}]}"; line: 1, column: 31]',
  },
  {
    policy: '{"key_a":"value_one"}',
    scope: "MessageBody",
    message:
      'Invalid parameter: FilterPolicy: "key_a" must be an object or an array\n at [Source: (String)"{"key_a":"value_one"}"; line: 1, column: 11]',
  },
  {
    policy: '{"key":[{"anything-but":{"suffix":"test"}}]}',
    scope: "MessageAttributes",
    message:
      'Invalid parameter: FilterPolicy: Unsupported anything-but pattern: suffix\n at [Source: (String)"{"key":[{"anything-but":{"suffix":"test"}}]}"; line: 1, column: 36]',
  },
  {
    policy: JSON.stringify({ a: ["1"], b: ["1"], c: ["1"], d: ["1"], e: ["1"], f: ["1"] }),
    scope: "MessageAttributes",
    message: "Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys",
  },
  {
    policy: JSON.stringify({ key: Array.from({ length: 151 }, (_, i) => `v${i}`) }),
    scope: "MessageAttributes",
    message: "Invalid parameter: FilterPolicy: Filter policy is too complex",
  },
  {
    policy: '{"object":{"key":[{"prefix":"auto-"}]}}',
    scope: "MessageAttributes",
    message: "Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy",
  },
];
