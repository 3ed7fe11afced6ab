/** ReceiveMessage's parameter ranges. */
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { beforeAll, describe, expect, it } from "vitest";
import { awsClient } from "../clients.js";
import { expectSqsError, newQueue } from "./standard-helpers.js";

const sqs = awsClient();
let QueueUrl: string;

beforeAll(async () => {
  QueueUrl = await newQueue(sqs, "receive-params");
});

describe("ReceiveMessage parameters", () => {
  it.each([0, 11, -1])("rejects MaxNumberOfMessages %i with InvalidParameterValue", async (MaxNumberOfMessages) => {
    const error = await expectSqsError(
      sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages })),
      "InvalidParameterValue",
    );
    expect(error.message).toBe(
      `Value ${MaxNumberOfMessages} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`,
    );
  });

  it.each([21, -1])("rejects WaitTimeSeconds %i with InvalidParameterValue", async (WaitTimeSeconds) => {
    const error = await expectSqsError(
      sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds })),
      "InvalidParameterValue",
    );
    expect(error.message).toBe(
      `Value ${WaitTimeSeconds} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.`,
    );
  });

  it.each([43_201, -1])("rejects VisibilityTimeout %i with InvalidParameterValue", async (VisibilityTimeout) => {
    const error = await expectSqsError(
      sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout })),
      "InvalidParameterValue",
    );
    expect(error.message).toMatch(new RegExp(`^Value ${VisibilityTimeout} for parameter VisibilityTimeout is invalid\\.`));
  });

  it("accepts the bounds: 1 and 10 messages, 0 and 43200 seconds of visibility, 0 seconds of waiting", async () => {
    for (const input of [
      { MaxNumberOfMessages: 1 },
      { MaxNumberOfMessages: 10 },
      { VisibilityTimeout: 0 },
      { VisibilityTimeout: 43_200 },
      { WaitTimeSeconds: 0 },
    ]) {
      const result = await sqs.send(new ReceiveMessageCommand({ QueueUrl, ...input }));
      expect(result.Messages).toBeUndefined();
    }
  });
});
