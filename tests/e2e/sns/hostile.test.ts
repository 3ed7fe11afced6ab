/**
 * Malformed SNS requests, signed for sns and sent over the Query wire by hand: bad entry indices,
 * oversized and malformed message attributes, broken MessageStructure JSON, filter policies
 * nested 100,000 deep, bytes that are not UTF-8, unknown actions, batches too large or with
 * repeated ids. Each is answered with a 4xx in SNS's XML error form, never a 5xx; the few that
 * SNS takes (named ACCEPTED) get a 2xx or such a 4xx.
 */
import { CreateTopicCommand, SubscribeCommand } from "@aws-sdk/client-sns";
import { AwsClient } from "aws4fetch";
import { beforeAll, describe, expect, it } from "vitest";
import { MAIN_KEY } from "../../keys.js";
import { awsClient, endpoint, uniqueName } from "../clients.js";
import { snsClient, subscribedQueue } from "./sns-helpers.js";

const sns = snsClient();
const signer = new AwsClient({ ...MAIN_KEY, service: "sns", region: "us-east-1", retries: 0 });
const VERSION = "2010-03-31";
const DEEP = 100_000;

type Params = [string, string][];

/** The form body: each pair percent-encoded, or a raw body given as bytes. */
function form(params: Params): string {
  return params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
}

async function post(body: string | Uint8Array): Promise<{ status: number; text: string }> {
  const request = await signer.sign(endpoint() + "/", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body,
  });
  const response = await fetch(request);
  return { status: response.status, text: await response.text() };
}

const SNS_ERROR = /^<\?xml version="1\.0"\?>\n<ErrorResponse xmlns="http:\/\/sns\.amazonaws\.com\/doc\/2010-03-31\/"><Error><Type>Sender<\/Type><Code>([A-Za-z.]+)<\/Code><Message>[^<]+<\/Message><\/Error><RequestId>[^<]+<\/RequestId><\/ErrorResponse>$/;

const deepArray = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
const deepObject = (depth: number) => '{"a":'.repeat(depth) + '"x"' + "}".repeat(depth);

describe("malformed SNS requests", () => {
  let topicArn: string;
  let fifoArn: string;
  let subscriptionArn: string;

  beforeAll(async () => {
    topicArn = (await sns.send(new CreateTopicCommand({ Name: uniqueName("hostile") }))).TopicArn!;
    fifoArn = (await sns.send(new CreateTopicCommand({ Name: uniqueName("hostile") + ".fifo", Attributes: { FifoTopic: "true" } }))).TopicArn!;
    const queue = await subscribedQueue(awsClient(), topicArn);
    subscriptionArn = (await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: queue.arn, ReturnSubscriptionArn: true })))
      .SubscriptionArn!;
  });

  const publish = (...more: Params): Params => [["Action", "Publish"], ["Version", VERSION], ["TopicArn", topicArn], ["Message", "m"], ...more];
  const attribute = (i: string | number, name: string, type: string, value: string, kind = "StringValue"): Params => [
    [`MessageAttributes.entry.${i}.Name`, name],
    [`MessageAttributes.entry.${i}.Value.DataType`, type],
    [`MessageAttributes.entry.${i}.Value.${kind}`, value],
  ];
  const batch = (entries: { id: string; index?: number | string; more?: Params }[], arn?: string): Params => [
    ["Action", "PublishBatch"],
    ["Version", VERSION],
    ["TopicArn", arn ?? topicArn],
    ...entries.flatMap(({ id, index, more = [] }, i): Params => {
      const prefix = `PublishBatchRequestEntries.member.${index ?? i + 1}`;
      return [[`${prefix}.Id`, id], [`${prefix}.Message`, "m"], ...more.map(([k, v]): [string, string] => [`${prefix}.${k}`, v])];
    }),
  ];
  const subscribe = (...more: Params): Params => [
    ["Action", "Subscribe"],
    ["Version", VERSION],
    ["TopicArn", topicArn],
    ["Protocol", "sqs"],
    ["Endpoint", "arn:aws:sqs:us-east-1:000000000000:nowhere"],
    ...more,
  ];
  const filterPolicy = (policy: string): Params => subscribe(["Attributes.entry.1.key", "FilterPolicy"], ["Attributes.entry.1.value", policy]);
  const setFilterPolicy = (policy: string): Params => [
    ["Action", "SetSubscriptionAttributes"],
    ["Version", VERSION],
    ["SubscriptionArn", subscriptionArn],
    ["AttributeName", "FilterPolicy"],
    ["AttributeValue", policy],
  ];
  const ids = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `e${i}` }));

  /** name -> the request: form pairs, or a raw body. */
  const cases = (): [string, Params | string | Uint8Array][] => [
    // Entry indices.
    ["attribute entry index 0", publish(...attribute(0, "a", "String", "v"))],
    ["attribute entry index -1", publish(...attribute(-1, "a", "String", "v"))],
    ["attribute entry index huge", publish(...attribute("99999999999999999999999", "a", "String", "v"))],
    ["attribute entry index not a number", publish(...attribute("x", "a", "String", "v"))],
    ["attribute entry with no name", publish(["MessageAttributes.entry.1.Value.DataType", "String"], ["MessageAttributes.entry.1.Value.StringValue", "v"])],
    ["batch entry index 0", batch([{ id: "a", index: 0 }])],
    ["batch entry index 11", batch([{ id: "a", index: 11 }])],
    ["batch entry index huge", batch([{ id: "a", index: "1000000000000000" }])],
    ["batch entry index negative", batch([{ id: "a", index: -3 }])],
    ["batch entries with a gap", batch([{ id: "a", index: 1 }, { id: "b", index: 3 }])],
    // Batches.
    ["batch of 11 entries", batch(ids(11))],
    ["batch with duplicate ids", batch([{ id: "same" }, { id: "same" }])],
    ["batch with an empty id", batch([{ id: "" }])],
    ["batch with an id of bad characters", batch([{ id: "a b!" }])],
    ["batch with an id of 81 characters", batch([{ id: "a".repeat(81) }])],
    ["batch with no entries", batch([])],
    ["batch to a FIFO topic without group ids", batch(ids(2).map((e) => ({ ...e, more: [["MessageDeduplicationId", e.id]] as Params })), "FIFO")],
    // Message attributes.
    ["ACCEPTED 11 message attributes (SNS takes more than SQS's 10)", publish(...Array.from({ length: 11 }, (_, i) => attribute(i + 1, `a${i}`, "String", "v")).flat())],
    ["ACCEPTED 1,000 message attributes", publish(...Array.from({ length: 1000 }, (_, i) => attribute(i + 1, `a${i}`, "String", "v")).flat())],
    ["an attribute value of 300 KiB", publish(...attribute(1, "big", "String", "v".repeat(300 * 1024)))],
    ["an attribute name of 300 characters", publish(...attribute(1, "n".repeat(300), "String", "v"))],
    ["an attribute name with a space", publish(...attribute(1, "bad name", "String", "v"))],
    ["an attribute with an unknown data type", publish(...attribute(1, "a", "Text", "v"))],
    ["a Number attribute that is not a number", publish(...attribute(1, "a", "Number", "twelve"))],
    ["a Number attribute of 400 digits", publish(...attribute(1, "a", "Number", "9".repeat(400)))],
    ["a Binary attribute that is not base64", publish(...attribute(1, "a", "Binary", "%%%not base64", "BinaryValue"))],
    ["a String.Array attribute that is not an array", publish(...attribute(1, "a", "String.Array", "{"))],
    ["a String.Array attribute 100,000 deep", publish(...attribute(1, "a", "String.Array", deepArray(DEEP)))],
    ["an attribute with no value", publish(["MessageAttributes.entry.1.Name", "a"], ["MessageAttributes.entry.1.Value.DataType", "String"])],
    // MessageStructure.
    ["MessageStructure json with broken JSON", publish(["MessageStructure", "json"]).map(([k, v]): [string, string] => [k, k === "Message" ? '{"default": "x"' : v])],
    ["MessageStructure json without default", publish(["MessageStructure", "json"]).map(([k, v]): [string, string] => [k, k === "Message" ? '{"sqs": "x"}' : v])],
    ["MessageStructure json that is an array", publish(["MessageStructure", "json"]).map(([k, v]): [string, string] => [k, k === "Message" ? '["default"]' : v])],
    ["MessageStructure json 100,000 deep", publish(["MessageStructure", "json"]).map(([k, v]): [string, string] => [k, k === "Message" ? deepObject(DEEP) : v])],
    ["ACCEPTED MessageStructure json with a non-string default", publish(["MessageStructure", "json"]).map(([k, v]): [string, string] => [k, k === "Message" ? '{"default": {"a": 1}}' : v])],
    ["MessageStructure other than json", publish(["MessageStructure", "xml"])],
    // Filter policies.
    ["FilterPolicy 100,000 deep (object)", filterPolicy(deepObject(DEEP))],
    ["FilterPolicy 100,000 deep (array)", filterPolicy(`{"a":${deepArray(DEEP)}}`)],
    ["FilterPolicy that is not JSON", filterPolicy("{not json")],
    ["FilterPolicy that is an array", filterPolicy("[]")],
    ["SetSubscriptionAttributes FilterPolicy 100,000 deep", setFilterPolicy(deepObject(DEEP))],
    ["SetSubscriptionAttributes FilterPolicyScope unknown", [["Action", "SetSubscriptionAttributes"], ["Version", VERSION], ["SubscriptionArn", "x"], ["AttributeName", "FilterPolicyScope"], ["AttributeValue", "Everything"]]],
    ["DeliveryPolicy 100,000 deep", [["Action", "SetTopicAttributes"], ["Version", VERSION], ["TopicArn", "TOPIC"], ["AttributeName", "DeliveryPolicy"], ["AttributeValue", deepObject(DEEP)]]],
    ["Policy 100,000 deep", [["Action", "SetTopicAttributes"], ["Version", VERSION], ["TopicArn", "TOPIC"], ["AttributeName", "Policy"], ["AttributeValue", deepArray(DEEP)]]],
    // Bytes and encodings.
    ["a Message of bytes that are not UTF-8 (percent-encoded)", "BYTES:%FF%FE%FD"],
    ["a Message of bytes that are not UTF-8 (raw)", "RAW"],
    ["a broken percent-encoding", "BYTES:%ZZ%"],
    ["a Message of lone surrogates (UTF-8 of U+D800, U+DFFF)", "BYTES:%ED%A0%80x%ED%BF%BF"],
    // Actions and parameters.
    ["an unknown Action with Version 2010-03-31", [["Action", "PublishEverything"], ["Version", VERSION]]],
    ["an Action of 10,000 characters", [["Action", "P".repeat(10_000)], ["Version", VERSION]]],
    ["no Action", [["Version", VERSION], ["TopicArn", "TOPIC"]]],
    ["a TopicArn that is not an ARN", [["Action", "Publish"], ["Version", VERSION], ["TopicArn", "not:an:arn"], ["Message", "m"]]],
    ["a TopicArn of 10,000 characters", [["Action", "GetTopicAttributes"], ["Version", VERSION], ["TopicArn", `arn:aws:sns:us-east-1:000000000000:${"t".repeat(10_000)}`]]],
    ["a topic name with a NUL", [["Action", "CreateTopic"], ["Version", VERSION], ["Name", "a\u0000b"]]],
    ["an empty Message", publish().map(([k, v]): [string, string] => [k, k === "Message" ? "" : v])],
    ["a Message of 300 KiB", publish().map(([k, v]): [string, string] => [k, k === "Message" ? "m".repeat(300 * 1024) : v])],
    ["a Subject with a newline", publish(["Subject", "a\nb"])],
    ["a Subject of 200 characters", publish(["Subject", "s".repeat(200)])],
    ["ACCEPTED a MessageGroupId on a standard topic (for fair queues)", publish(["MessageGroupId", "g"])],
    ["a MessageDeduplicationId of 200 characters on a FIFO topic", [["Action", "Publish"], ["Version", VERSION], ["TopicArn", "FIFO"], ["Message", "m"], ["MessageGroupId", "g"], ["MessageDeduplicationId", "d".repeat(200)]]],
    ["a tag at index 0", [["Action", "CreateTopic"], ["Version", VERSION], ["Name", uniqueName("t")], ["Tags.member.0.Key", "k"], ["Tags.member.0.Value", "v"]]],
    ["a garbage NextToken", [["Action", "ListTopics"], ["Version", VERSION], ["NextToken", "\u0000garbage!!"]]],
    ["a garbage confirmation token", [["Action", "ConfirmSubscription"], ["Version", VERSION], ["TopicArn", "TOPIC"], ["Token", "t".repeat(10_000)]]],
    ["a garbage SubscriptionArn", [["Action", "Unsubscribe"], ["Version", VERSION], ["SubscriptionArn", "arn:aws:sns:us-east-1:000000000000:"]]],
    ["a bad TargetArn and PhoneNumber together", [["Action", "Publish"], ["Version", VERSION], ["TargetArn", "x"], ["PhoneNumber", "y"], ["Message", "m"]]],
  ];

  /** Puts in the ARNs made in beforeAll, and turns the byte cases into bodies. */
  function body(request: Params | string | Uint8Array): string | Uint8Array {
    if (request === "RAW") {
      const head = new TextEncoder().encode(`Action=Publish&Version=${VERSION}&TopicArn=${encodeURIComponent(topicArn)}&Message=`);
      return new Uint8Array([...head, 0xff, 0xfe, 0xc0, 0x80]);
    }
    if (typeof request === "string") {
      return `Action=Publish&Version=${VERSION}&TopicArn=${encodeURIComponent(topicArn)}&Message=${request.slice("BYTES:".length)}`;
    }
    if (request instanceof Uint8Array) return request;
    return form(request.map(([k, v]): [string, string] => [k, v === "TOPIC" ? topicArn : v === "FIFO" ? fifoArn : v]));
  }

  it("are each answered with a 4xx in SNS's error form, never a 5xx", { timeout: 120_000 }, async () => {
    const all = cases();
    expect(all.length).toBeGreaterThanOrEqual(50);
    const faults: string[] = [];
    for (const [name, request] of all) {
      const answer = await post(body(request));
      const accepted = name.startsWith("ACCEPTED") && answer.status >= 200 && answer.status < 300;
      if (!accepted && (answer.status < 400 || answer.status >= 500 || !SNS_ERROR.test(answer.text))) {
        faults.push(`${name}: ${answer.status} ${answer.text.slice(0, 300)}`);
      }
    }
    expect(faults).toEqual([]);
  });
});
