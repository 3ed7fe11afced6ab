/**
 * Message attributes: String, Number and Binary with custom type suffixes;
 * selection on receive; the naming, count and value rules; and MD5OfMessageAttributes checked
 * against the AWS-recorded vectors and an independent implementation of the algorithm.
 */
import {
  ReceiveMessageCommand,
  SendMessageCommand,
  type MessageAttributeValue,
} from "@aws-sdk/client-sqs";
import { beforeAll, describe, expect, it } from "vitest";
import { awsClient } from "../clients.js";
import { md5OfAttributes } from "./md5.js";
import { expectSqsError, newQueue } from "./standard-helpers.js";

const sqs = awsClient();
let QueueUrl: string;

beforeAll(async () => {
  QueueUrl = await newQueue(sqs, "attributes");
});

type Attributes = Record<string, MessageAttributeValue>;
const bytes = (...values: number[]) => Uint8Array.from(values);

/** Sends `attributes`, receives the message asking for `names`, and returns both answers. */
async function roundTrip(attributes: Attributes, names?: string[]) {
  const QueueUrl = await newQueue(sqs, "attr-trip");
  const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "body", MessageAttributes: attributes }));
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: names }));
  expect(Messages).toHaveLength(1);
  return { sent, received: Messages![0]! };
}

/** The attributes as the SDK hands them back, without its empty placeholder lists. */
function plain(attributes: Attributes | undefined): Record<string, { DataType?: string; StringValue?: string; BinaryValue?: Uint8Array }> | undefined {
  if (!attributes) return undefined;
  return Object.fromEntries(
    Object.entries(attributes).map(([name, v]) => [
      name,
      {
        DataType: v.DataType,
        ...(v.StringValue !== undefined ? { StringValue: v.StringValue } : {}),
        ...(v.BinaryValue !== undefined ? { BinaryValue: new Uint8Array(v.BinaryValue) } : {}),
      },
    ]),
  );
}

const MIXED: Attributes = {
  text: { DataType: "String", StringValue: "hello \u00e9\u{1F600}" },
  label: { DataType: "String.label", StringValue: "custom string" },
  count: { DataType: "Number", StringValue: "42" },
  price: { DataType: "Number.float", StringValue: "-1.50e3" },
  blob: { DataType: "Binary", BinaryValue: bytes(0, 1, 2, 254, 255) },
  image: { DataType: "Binary.gif", BinaryValue: bytes(71, 73, 70, 56) },
};

describe("the test's own MD5 of message attributes", () => {
  it("reproduces the vectors AWS recorded", () => {
    expect(md5OfAttributes({ MyAttribute: { DataType: "String", StringValue: "foobar" } })).toBe(
      "adb59cd4678ea5a855436b949cd07ab6",
    );
    expect(md5OfAttributes({ Foo: { DataType: "String", StringValue: "Bar" } })).toBe("ae7155c6026991b6d54b11589678bf9c");
    expect(
      md5OfAttributes({
        General: { DataType: "String", StringValue: "Kenobi" },
        Hello: { DataType: "String", StringValue: "There" },
        "Help.Me": { DataType: "String", StringValue: "Me" },
      }),
    ).toBe("4c360f3fdafd970e05fae2f149d997f5");
    const traceparent = Buffer.from("traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01", "latin1");
    expect(md5OfAttributes({ attr1: { DataType: "Binary", BinaryValue: traceparent } })).toBe(
      "8cbe4db156db8a94db8b801b7addb984",
    );
  });
});

describe("message attributes", () => {
  it("answers with the MD5s AWS recorded for its vectors", async () => {
    const vectors: [Attributes, string][] = [
      [{ MyAttribute: { DataType: "String", StringValue: "foobar" } }, "adb59cd4678ea5a855436b949cd07ab6"],
      [{ Foo: { DataType: "String", StringValue: "Bar" } }, "ae7155c6026991b6d54b11589678bf9c"],
      [
        {
          General: { DataType: "String", StringValue: "Kenobi" },
          Hello: { DataType: "String", StringValue: "There" },
          "Help.Me": { DataType: "String", StringValue: "Me" },
        },
        "4c360f3fdafd970e05fae2f149d997f5",
      ],
      [
        {
          attr1: {
            DataType: "Binary",
            BinaryValue: Buffer.from("traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01", "latin1"),
          },
        },
        "8cbe4db156db8a94db8b801b7addb984",
      ],
    ];
    for (const [MessageAttributes, md5] of vectors) {
      const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "vector", MessageAttributes }));
      expect(sent.MD5OfMessageAttributes).toBe(md5);
    }
  });

  it("round-trips String, Number and Binary values with custom type suffixes, with All", async () => {
    const { sent, received } = await roundTrip(MIXED, ["All"]);
    expect(plain(received.MessageAttributes)).toEqual(plain(MIXED));
    expect(sent.MD5OfMessageAttributes).toBe(md5OfAttributes(MIXED));
    expect(received.MD5OfMessageAttributes).toBe(md5OfAttributes(MIXED));
  });

  it("returns every attribute for .* as for All", async () => {
    const { received } = await roundTrip(MIXED, [".*"]);
    expect(plain(received.MessageAttributes)).toEqual(plain(MIXED));
    expect(received.MD5OfMessageAttributes).toBe(md5OfAttributes(MIXED));
  });

  it("returns only the attributes asked for by name, with the MD5 of that subset", async () => {
    const { sent, received } = await roundTrip(MIXED, ["count", "blob", "absent"]);
    const subset = { count: MIXED.count!, blob: MIXED.blob! };
    expect(plain(received.MessageAttributes)).toEqual(plain(subset));
    expect(received.MD5OfMessageAttributes).toBe(md5OfAttributes(subset));
    expect(received.MD5OfMessageAttributes).not.toBe(sent.MD5OfMessageAttributes);
  });

  it("returns the attributes whose names start with foo for foo.*, foobar included", async () => {
    const attributes: Attributes = {
      "foo.a": { DataType: "String", StringValue: "1" },
      "foo.b": { DataType: "Number", StringValue: "2" },
      foobar: { DataType: "String", StringValue: "starts with foo too" },
      bar: { DataType: "String", StringValue: "3" },
    };
    const { received } = await roundTrip(attributes, ["foo.*"]);
    const subset = { "foo.a": attributes["foo.a"]!, "foo.b": attributes["foo.b"]!, foobar: attributes.foobar! };
    expect(plain(received.MessageAttributes)).toEqual(plain(subset));
    expect(received.MD5OfMessageAttributes).toBe(md5OfAttributes(subset));
  });

  it("matches X.* as a plain string prefix: Hel.* returns Hello and Help.Me (recorded against AWS)", async () => {
    const attributes: Attributes = {
      Hello: { DataType: "String", StringValue: "1" },
      "Help.Me": { DataType: "String", StringValue: "2" },
      General: { DataType: "String", StringValue: "3" },
    };
    const { received } = await roundTrip(attributes, ["Hel.*"]);
    const subset = { Hello: attributes.Hello!, "Help.Me": attributes["Help.Me"]! };
    expect(plain(received.MessageAttributes)).toEqual(plain(subset));
    expect(received.MD5OfMessageAttributes).toBe(md5OfAttributes(subset));
  });

  it.each([["*"], [".*"], ["All"]])("returns every attribute for %s", async (name) => {
    const { sent, received } = await roundTrip(MIXED, [name]);
    expect(plain(received.MessageAttributes)).toEqual(plain(MIXED));
    expect(received.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
  });

  it("returns neither attributes nor their MD5 when none are asked for or none match", async () => {
    for (const names of [undefined, ["nothing-like-it"]]) {
      const { sent, received } = await roundTrip(MIXED, names);
      expect(sent.MD5OfMessageAttributes).toBe(md5OfAttributes(MIXED));
      expect(received.MessageAttributes).toBeUndefined();
      expect(received.MD5OfMessageAttributes).toBeUndefined();
    }
  });

  it("omits MD5OfMessageAttributes for a message without attributes", async () => {
    const { sent, received } = await roundTrip({}, ["All"]);
    expect(sent.MD5OfMessageAttributes).toBeUndefined();
    expect(received.MessageAttributes).toBeUndefined();
    expect(received.MD5OfMessageAttributes).toBeUndefined();
  });

  it("returns Number values exactly as sent", async () => {
    const numbers: Attributes = {
      a: { DataType: "Number", StringValue: "1.50" },
      b: { DataType: "Number", StringValue: "-0" },
      c: { DataType: "Number", StringValue: "12345678901234567890123456789012345678" },
    };
    const { received } = await roundTrip(numbers, ["All"]);
    expect(plain(received.MessageAttributes)).toEqual(plain(numbers));
  });

  it("accepts 10 attributes and refuses 11 with InvalidParameterValue", async () => {
    const many = (n: number): Attributes =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`a${i}`, { DataType: "String", StringValue: `${i}` }]));
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "ten", MessageAttributes: many(10) }));
    expect(sent.MD5OfMessageAttributes).toBe(md5OfAttributes(many(10)));
    await expectSqsError(
      sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "eleven", MessageAttributes: many(11) })),
      "InvalidParameterValue",
    );
  });

  it("accepts names of letters, digits, hyphens, underscores and inner periods up to 256 characters", async () => {
    // Letters and digits of any script count (AWS accepts attr.1øßä).
    const names = ["a", "A-b_c.d", "x".repeat(256), "with.many.parts", "attr.1øßä", "名前", "Ωmega_٣"];
    const MessageAttributes = Object.fromEntries(names.map((n) => [n, { DataType: "String", StringValue: "v" }]));
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "names", MessageAttributes }));
    expect(sent.MD5OfMessageAttributes).toBe(md5OfAttributes(MessageAttributes));
  });

  it.each([
    ["257 characters", "x".repeat(257)],
    ["a space", "has space"],
    ["the reserved AWS. prefix", "AWS.reserved"],
    ["the reserved Amazon. prefix in any case", "amazon.reserved"],
    ["a leading period", ".start"],
    ["a trailing period", "end."],
    ["two periods in a row", "a..b"],
    ["the reserved AWS. prefix in mixed case", "aWs.reserved"],
    ["a leading period before non-ASCII letters", ".øß"],
  ])("refuses a name with %s with InvalidParameterValue", async (_, name) => {
    await expectSqsError(
      sqs.send(
        new SendMessageCommand({ QueueUrl, MessageBody: "x", MessageAttributes: { [name]: { DataType: "String", StringValue: "v" } } }),
      ),
      "InvalidParameterValue",
    );
  });

  it.each<[string, MessageAttributeValue]>([
    ["an empty String", { DataType: "String", StringValue: "" }],
    ["an empty Number", { DataType: "Number", StringValue: "" }],
    ["an empty Binary", { DataType: "Binary", BinaryValue: new Uint8Array() }],
    ["a String without a value", { DataType: "String" }],
    ["a Number that is not a number", { DataType: "Number", StringValue: "twelve" }],
    ["an unknown data type", { DataType: "Integer", StringValue: "1" }],
    ["an empty data type", { DataType: "", StringValue: "1" }],
    ["a String with invalid characters", { DataType: "String", StringValue: "nul\u0000" }],
  ])("refuses %s with InvalidParameterValue", async (_, value) => {
    await expectSqsError(
      sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x", MessageAttributes: { attr: value } })),
      "InvalidParameterValue",
    );
  });

  it("words the empty String error as AWS does", async () => {
    const error = await expectSqsError(
      sqs.send(
        new SendMessageCommand({
          QueueUrl,
          MessageBody: "x",
          MessageAttributes: { ErrorDetails: { DataType: "String", StringValue: "" } },
        }),
      ),
      "InvalidParameterValue",
    );
    expect(error.message).toBe("Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'.");
  });

  it("answers MD5OfMessageSystemAttributes for an AWSTraceHeader, and only then", async () => {
    const trace = { AWSTraceHeader: { DataType: "String", StringValue: "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1" } };
    const withTrace = await sqs.send(
      new SendMessageCommand({ QueueUrl, MessageBody: "traced", MessageSystemAttributes: trace }),
    );
    expect(withTrace.MD5OfMessageSystemAttributes).toBe(md5OfAttributes(trace));
    expect(withTrace.MD5OfMessageAttributes).toBeUndefined();
    const without = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "untraced" }));
    expect(without.MD5OfMessageSystemAttributes).toBeUndefined();
  });
});
