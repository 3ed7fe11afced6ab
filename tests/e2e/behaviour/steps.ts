/** Steps the behaviour suite repeats: make a queue, expect an SQS error, receive once more. */
import { expect } from "vitest";
import type { Message, ReceiveMessageRequest, StringMap } from "../../../sdk/protocol/index.js";
import { uniqueName } from "../clients.js";
import { ClientError, type SqsAdapter } from "./adapter.js";

export const ACCOUNT = "000000000000";

export async function newQueue(
  sqs: SqsAdapter,
  prefix: string,
  attributes?: StringMap,
): Promise<{ name: string; url: string }> {
  const name = uniqueName(prefix);
  const { QueueUrl } = await sqs.call("CreateQueue", { QueueName: name, ...(attributes && { Attributes: attributes }) });
  return { name, url: QueueUrl };
}

/** Awaits a call that must fail, checks the code the client saw, and returns the error. */
export async function expectError(call: Promise<unknown>, code: string): Promise<ClientError> {
  let error: unknown;
  try {
    await call;
  } catch (e) {
    error = e;
  }
  expect(error, `expected the call to fail with ${code}`).toBeInstanceOf(ClientError);
  const clientError = error as ClientError;
  expect(clientError.code, clientError.message).toBe(code);
  return clientError;
}

/** Checks the client's typed exception, for clients that have them. */
export function expectException(sqs: SqsAdapter, error: ClientError, exception: string): void {
  if (sqs.modeledExceptions) expect(error.exception).toBe(exception);
}

/** Receives up to 10 messages, leaving them visible again at once unless told otherwise. */
export async function receive(
  sqs: SqsAdapter,
  url: string,
  options: Omit<ReceiveMessageRequest, "QueueUrl"> = {},
): Promise<Message[]> {
  const result = await sqs.call("ReceiveMessage", {
    QueueUrl: url,
    MaxNumberOfMessages: 10,
    VisibilityTimeout: 0,
    ...options,
  });
  return result.Messages ?? [];
}

/** Receives exactly one message. */
export async function receiveOne(
  sqs: SqsAdapter,
  url: string,
  options: Omit<ReceiveMessageRequest, "QueueUrl"> = {},
): Promise<Message> {
  const messages = await receive(sqs, url, options);
  expect(messages).toHaveLength(1);
  return messages[0]!;
}
