/** SetQueueAttributes: valid values apply, every out-of-range value and read-only name is refused. */
import { GetQueueAttributesCommand, SetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { beforeAll, describe, expect, it } from "vitest";
import { awsClient } from "../clients.js";
import { expectSqsError, newQueue } from "./standard-helpers.js";

const sqs = awsClient();
let QueueUrl: string;

beforeAll(async () => {
  QueueUrl = await newQueue(sqs, "set");
});

const set = (Attributes: Record<string, string>) => sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes }));
const get = async () =>
  (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }))).Attributes ?? {};

/** The settable integer attributes of a standard queue and their ranges. */
const RANGES: [name: string, min: number, max: number][] = [
  ["DelaySeconds", 0, 900],
  ["MaximumMessageSize", 1_024, 1_048_576],
  ["MessageRetentionPeriod", 60, 1_209_600],
  ["ReceiveMessageWaitTimeSeconds", 0, 20],
  ["VisibilityTimeout", 0, 43_200],
];

describe("SetQueueAttributes", () => {
  it("applies the lowest and the highest valid value of every ranged attribute", async () => {
    for (const bound of [1, 2] as const) {
      const values = Object.fromEntries(RANGES.map((range) => [range[0], String(range[bound])]));
      await set(values);
      expect(await get()).toMatchObject(values);
    }
  });

  it("applies SqsManagedSseEnabled", async () => {
    await set({ SqsManagedSseEnabled: "false" });
    expect((await get()).SqsManagedSseEnabled).toBe("false");
    await set({ SqsManagedSseEnabled: "true" });
    expect((await get()).SqsManagedSseEnabled).toBe("true");
  });

  it("keeps LastModifiedTimestamp at or after CreatedTimestamp", async () => {
    await set({ VisibilityTimeout: "31" });
    const attributes = await get();
    expect(Number(attributes.LastModifiedTimestamp)).toBeGreaterThanOrEqual(Number(attributes.CreatedTimestamp));
  });

  const outOfRange = RANGES.flatMap(([name, min, max]) => [
    [name, String(min - 1)],
    [name, String(max + 1)],
    [name, "1.5"],
    [name, "ten"],
    [name, ""],
  ]);
  it.each(outOfRange)("rejects %s=%j with InvalidAttributeValue", async (name, value) => {
    const error = await expectSqsError(set({ [name]: value }), "InvalidAttributeValue");
    expect(error.message).toMatch(new RegExp(`^Invalid value for the parameter ${name}\\b`));
  });

  it("rejects SqsManagedSseEnabled other than true or false with InvalidAttributeValue", async () => {
    await expectSqsError(set({ SqsManagedSseEnabled: "yes" }), "InvalidAttributeValue");
  });

  it.each(["59", "86401"])("rejects KmsDataKeyReusePeriodSeconds=%s with InvalidAttributeValue", async (value) => {
    await expectSqsError(set({ KmsDataKeyReusePeriodSeconds: value }), "InvalidAttributeValue");
  });

  it("stores a Policy, lists it only while set, clears it with an empty string and refuses one that is not JSON", async () => {
    const policy = JSON.stringify({ Version: "2012-10-17", Statement: [] });
    await set({ Policy: policy });
    expect((await get()).Policy).toBe(policy);
    await set({ Policy: "" });
    expect(await get()).not.toHaveProperty("Policy");
    await expectSqsError(set({ Policy: "not json" }), "InvalidAttributeValue");
  });

  it("changes nothing when one attribute of the request is invalid", async () => {
    await set({ VisibilityTimeout: "30", DelaySeconds: "0" });
    await expectSqsError(set({ VisibilityTimeout: "99", DelaySeconds: "901" }), "InvalidAttributeValue");
    expect(await get()).toMatchObject({ VisibilityTimeout: "30", DelaySeconds: "0" });
  });

  it.each([
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
    "CreatedTimestamp",
    "LastModifiedTimestamp",
    "QueueArn",
  ])("refuses the read-only attribute %s with InvalidAttributeName", async (name) => {
    const error = await expectSqsError(set({ [name]: "1" }), "InvalidAttributeName");
    expect(error.message).toBe(`Unknown Attribute ${name}.`);
  });

  it("refuses an unknown attribute and FifoQueue on a standard queue with InvalidAttributeName", async () => {
    expect((await expectSqsError(set({ Colour: "blue" }), "InvalidAttributeName")).message).toBe(
      "Unknown Attribute Colour.",
    );
    expect((await expectSqsError(set({ FifoQueue: "true" }), "InvalidAttributeName")).message).toBe(
      "Unknown Attribute FifoQueue.",
    );
  });
});
