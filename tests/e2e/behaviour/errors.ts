/** Error cases as every client sees them: the legacy Query codes are what old clients switch on. */
import { expect, it } from "vitest";
import { endpoint } from "../clients.js";
import type { SqsAdapter } from "./adapter.js";
import { NON_EXISTENT_MESSAGE } from "./queues.js";
import { ACCOUNT, expectError, expectException, newQueue } from "./steps.js";

export function errorBehaviour(client: () => SqsAdapter): void {
  it("reports a queue that does not exist with the legacy code", async () => {
    const sqs = client();
    const missing = `${endpoint()}/${ACCOUNT}/no-such-queue-${Date.now()}`;
    const send = await expectError(
      sqs.call("SendMessage", { QueueUrl: missing, MessageBody: "x" }),
      "AWS.SimpleQueueService.NonExistentQueue",
    );
    expect(send.message).toBe(NON_EXISTENT_MESSAGE[sqs.protocol]);
    expectException(sqs, send, "QueueDoesNotExist");
    await expectError(
      sqs.call("GetQueueAttributes", { QueueUrl: missing, AttributeNames: ["All"] }),
      "AWS.SimpleQueueService.NonExistentQueue",
    );
  });

  it("rejects invalid queue names", async () => {
    const sqs = client();
    for (const name of ["has space", "x".repeat(81), "dots.not.allowed", "standard.fifo"]) {
      const error = await expectError(sqs.call("CreateQueue", { QueueName: name }), "InvalidParameterValue");
      expect(error.message).toMatch(/alphanumeric characters, hyphens, or underscores/);
    }
  });

  it("rejects unknown attributes and out-of-range attribute values", async () => {
    const sqs = client();
    const create = (Attributes: Record<string, string>) =>
      sqs.call("CreateQueue", { QueueName: `range-${Date.now()}`, Attributes });
    await expectError(create({ VisibilityTimeout: "43201" }), "InvalidAttributeValue");
    await expectError(create({ MaximumMessageSize: "1023" }), "InvalidAttributeValue");
    await expectError(create({ DelaySeconds: "soon" }), "InvalidAttributeValue");
    const unknown = await expectError(create({ Colour: "blue" }), "InvalidAttributeName");
    expect(unknown.message).toBe("Unknown Attribute Colour.");
    expectException(sqs, unknown, "InvalidAttributeName");

    const { url } = await newQueue(sqs, "set-range");
    await expectError(
      sqs.call("SetQueueAttributes", { QueueUrl: url, Attributes: { MessageRetentionPeriod: "59" } }),
      "InvalidAttributeValue",
    );
    await expectError(
      sqs.call("SetQueueAttributes", { QueueUrl: url, Attributes: { QueueArn: "arn:aws:sqs:us-east-1:1:x" } }),
      "InvalidAttributeName",
    );
  });

  it("rejects out-of-range receive parameters and invalid message contents", async () => {
    const sqs = client();
    const { url } = await newQueue(sqs, "bad-params");
    const tooMany = await expectError(
      sqs.call("ReceiveMessage", { QueueUrl: url, MaxNumberOfMessages: 11 }),
      "InvalidParameterValue",
    );
    expect(tooMany.message).toBe(
      "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.",
    );
    await expectError(sqs.call("ReceiveMessage", { QueueUrl: url, WaitTimeSeconds: 21 }), "InvalidParameterValue");
    await expectError(sqs.call("SendMessage", { QueueUrl: url, MessageBody: "nul \u0000" }), "InvalidMessageContents");
    await expectError(
      sqs.call("SendMessage", { QueueUrl: url, MessageBody: "x", DelaySeconds: 901 }),
      "InvalidParameterValue",
    );
    await expectError(
      sqs.call("SendMessage", {
        QueueUrl: url,
        MessageBody: "x",
        MessageAttributes: { n: { DataType: "Number", StringValue: "not a number" } },
      }),
      "InvalidParameterValue",
    );
  });
}
