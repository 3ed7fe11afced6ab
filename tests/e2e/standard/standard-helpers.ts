/**
 * Shared steps of the standard-queue suites: a fresh queue, the SQS errors as the AWS SDK v3
 * reports them, and a stopwatch. The expected codes are written out here as AWS answers
 * them, not imported from Sluice, so a wrong entry in Sluice's catalogue fails a test.
 */
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SQSServiceException,
  type QueueAttributeName,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { expect } from "vitest";
import { uniqueName } from "../clients.js";

/** How @aws-sdk/client-sqs 3.1169 exposes an SQS error (query-compatible JSON 1.0). */
export interface ExpectedError {
  /** `error.name`: the modeled shape (`QueueDoesNotExist`) or, for unmodeled errors, the legacy code. */
  name: string;
  /** `error.Code`: the legacy Query code from the `x-amzn-query-error` header. */
  code: string;
  /** `error.$metadata.httpStatusCode`. */
  status: number;
}

const sender = (name: string, code = name, status = 400): ExpectedError => ({ name, code, status });

/** AWS's error codes, Query codes and statuses, as seen through the SDK. */
export const SQS_ERRORS = {
  QueueDoesNotExist: sender("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue"),
  QueueDeletedRecently: sender("QueueDeletedRecently", "AWS.SimpleQueueService.QueueDeletedRecently"),
  QueueNameExists: sender("QueueNameExists", "QueueAlreadyExists"),
  PurgeQueueInProgress: sender("PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress", 403),
  ReceiptHandleIsInvalid: sender("ReceiptHandleIsInvalid"),
  InvalidAttributeName: sender("InvalidAttributeName"),
  InvalidAttributeValue: sender("InvalidAttributeValue"),
  InvalidMessageContents: sender("InvalidMessageContents"),
  EmptyBatchRequest: sender("EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest"),
  TooManyEntriesInBatchRequest: sender(
    "TooManyEntriesInBatchRequest",
    "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
  ),
  InvalidBatchEntryId: sender("InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId"),
  BatchEntryIdsNotDistinct: sender("BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct"),
  BatchRequestTooLong: sender("BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong"),
  // Unmodeled: the SDK names the error after the legacy code.
  InvalidParameterValue: sender("InvalidParameterValue"),
  MissingParameter: sender("MissingParameter"),
} as const;

export type SqsErrorName = keyof typeof SQS_ERRORS;

export type CaughtError = SQSServiceException & { Code?: string; Type?: string };

/**
 * Awaits `request`, expects it to fail with the SQS error `expected` (shape name, legacy code
 * and HTTP status all checked) and returns the error for further assertions on its message.
 */
export async function expectSqsError(request: Promise<unknown>, expected: SqsErrorName): Promise<CaughtError> {
  let caught: unknown;
  try {
    await request;
  } catch (error) {
    caught = error;
  }
  if (caught === undefined) throw new Error(`expected ${expected}, but the request succeeded`);
  if (!(caught instanceof SQSServiceException)) throw caught;
  const error = caught as CaughtError;
  const want = SQS_ERRORS[expected];
  expect({ name: error.name, code: error.Code, status: error.$metadata.httpStatusCode, type: error.Type }).toEqual({
    name: want.name,
    code: want.code,
    status: want.status,
    type: "Sender",
  });
  return error;
}

/** Creates a standard queue with a name unique to this run and returns its URL. */
/** A new queue; with `partitions` > 1, one of that many partitions (durable-objects/partitions.md). */
export async function newQueue(sqs: SQSClient, prefix: string, attributes?: Record<string, string>, partitions = 1): Promise<string> {
  const tags = partitions > 1 ? { "sluice:partitions": String(partitions) } : undefined;
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName(prefix), Attributes: attributes, tags }));
  expect(QueueUrl).toBeTruthy();
  return QueueUrl!;
}

/** The queue's name: the last segment of its URL. */
export function queueNameOf(url: string): string {
  return new URL(url).pathname.split("/").pop()!;
}

/** The URL of a queue that was never created, in the same account as `existingUrl`. */
export function missingQueueUrl(existingUrl: string): string {
  return `${existingUrl}-never-created`;
}

export interface MessageCounts {
  visible: number;
  notVisible: number;
  delayed: number;
}

/** The three Approximate* counters, as numbers. */
export async function messageCounts(sqs: SQSClient, QueueUrl: string): Promise<MessageCounts> {
  const names: QueueAttributeName[] = [
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
  ];
  const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: names }));
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages),
    notVisible: Number(Attributes.ApproximateNumberOfMessagesNotVisible),
    delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed),
  };
}

/** Runs `work` and returns its result with the milliseconds it took. */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
