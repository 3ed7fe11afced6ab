import {
  MAX_RECEIVE_MESSAGES,
  MAX_VISIBILITY_TIMEOUT_SECONDS,
  MAX_WAIT_TIME_SECONDS,
  SqsErrors,
} from "../../sdk/protocol/index.js";
import { toMessage } from "../message-output.js";
import { receiveFromQueue } from "../partition-receive.js";
import { partitionHandle } from "../partitions.js";
import { parseQueueUrl } from "../queue-url.js";
import { unwrap, type Handler } from "./handler.js";

/** AWS API reference: at most 128 characters, alphanumerics and punctuation (!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~). */
const RECEIVE_REQUEST_ATTEMPT_ID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;

export const receiveMessage: Handler<"ReceiveMessage"> = async (input, ctx) => {
  const ref = parseQueueUrl(input.QueueUrl, ctx);
  const max = input.MaxNumberOfMessages ?? 1;
  if (max < 1 || max > MAX_RECEIVE_MESSAGES) {
    throw SqsErrors.invalidParameter("MaxNumberOfMessages", max, "Must be between 1 and 10, if provided.");
  }
  const wait = input.WaitTimeSeconds;
  if (wait !== undefined && (wait < 0 || wait > MAX_WAIT_TIME_SECONDS)) {
    throw SqsErrors.invalidParameter("WaitTimeSeconds", wait, "Must be >= 0 and <= 20, if provided.");
  }
  const visibility = input.VisibilityTimeout;
  if (visibility !== undefined && (visibility < 0 || visibility > MAX_VISIBILITY_TIMEOUT_SECONDS)) {
    throw SqsErrors.invalidParameter("VisibilityTimeout", visibility, "Must be >= 0 and <= 43200, if provided.");
  }
  const attemptId = input.ReceiveRequestAttemptId;
  if (attemptId !== undefined && !RECEIVE_REQUEST_ATTEMPT_ID.test(attemptId)) {
    throw SqsErrors.invalidParameter(
      "ReceiveRequestAttemptId",
      attemptId,
      "ReceiveRequestAttemptId can only include alphanumeric and punctuation characters. 1 to 128 in length.",
    );
  }
  const params = {
    maxMessages: max,
    visibilityTimeout: visibility,
    waitTimeSeconds: wait,
    attemptId,
  };
  const { k, outcome } = await receiveFromQueue(ctx, ref, params);
  if (outcome.messages.length === 0) return {};
  const selection = {
    // Newer SDKs send MessageSystemAttributeNames; older ones and Query send AttributeNames.
    system: input.MessageSystemAttributeNames?.length ? input.MessageSystemAttributeNames : (input.AttributeNames ?? []),
    message: input.MessageAttributeNames ?? [],
  };
  // Handles name their partition, so deletes and visibility changes go straight to it.
  const messages = outcome.messages.map((m) => ({ ...m, receiptHandle: partitionHandle(k, m.receiptHandle) }));
  return { Messages: messages.map((m) => toMessage(m, selection)) };
};
