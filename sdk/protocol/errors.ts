/**
 * The SQS error catalogue and the one error type every layer uses.
 * Each code maps to its JSON shape name, its legacy Query code, the HTTP status and the fault.
 */
import { MAX_BATCH_PAYLOAD_BYTES } from "./limits.js";

interface ErrorSpec {
  /** JSON 1.0 `__type` suffix (the model shape, or the `…Exception` name for unmodeled errors). */
  shape: string;
  /** Legacy Query code, also sent in the `x-amzn-query-error` header. */
  queryCode: string;
  status: number;
  fault: "Sender" | "Receiver";
}

const sender = (shape: string, queryCode: string, status = 400): ErrorSpec => ({
  shape,
  queryCode,
  status,
  fault: "Sender",
});

export const ERRORS = {
  QueueDoesNotExist: sender("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue"),
  QueueDeletedRecently: sender("QueueDeletedRecently", "AWS.SimpleQueueService.QueueDeletedRecently"),
  QueueNameExists: sender("QueueNameExists", "QueueAlreadyExists"),
  PurgeQueueInProgress: sender("PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress", 403),
  // The Smithy model says 404 but AWS answers 400 in practice; SDKs classify by code.
  ReceiptHandleIsInvalid: sender("ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid"),
  MessageNotInflight: sender("MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight"),
  InvalidAttributeName: sender("InvalidAttributeName", "InvalidAttributeName"),
  InvalidAttributeValue: sender("InvalidAttributeValue", "InvalidAttributeValue"),
  InvalidMessageContents: sender("InvalidMessageContents", "InvalidMessageContents"),
  EmptyBatchRequest: sender("EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest"),
  TooManyEntriesInBatchRequest: sender(
    "TooManyEntriesInBatchRequest",
    "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
  ),
  InvalidBatchEntryId: sender("InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId"),
  BatchEntryIdsNotDistinct: sender("BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct"),
  BatchRequestTooLong: sender("BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong"),
  UnsupportedOperation: sender("UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation"),
  OverLimit: sender("OverLimit", "OverLimit", 403),
  ResourceNotFoundException: sender("ResourceNotFoundException", "ResourceNotFoundException", 404),
  InvalidAddress: sender("InvalidAddress", "InvalidAddress", 404),
  InvalidParameterValue: sender("InvalidParameterValueException", "InvalidParameterValue"),
  MissingParameter: sender("MissingRequiredParameterException", "MissingParameter"),
  InvalidAction: sender("InvalidAction", "InvalidAction"),
  UnknownOperation: sender("UnknownOperationException", "InvalidAction"),
  /** Query: a request to a queue URL without an Action (AWS answers a bare 404 document). */
  NoActionAtQueueUrl: sender("UnknownOperationException", "UnknownOperationException", 404),
  MalformedInput: sender("SerializationException", "MalformedQueryString"),
  InvalidQueryParameter: sender("InvalidQueryParameter", "InvalidQueryParameter"),
  NoSuchVersion: sender("NoSuchVersion", "NoSuchVersion"),
  /** Query only: a request without `Action` (AWS common error). */
  MissingAction: sender("MissingAction", "MissingAction"),
  AccessDenied: sender("AccessDenied", "AccessDenied", 403),
  InvalidClientTokenId: sender("InvalidClientTokenId", "InvalidClientTokenId", 403),
  SignatureDoesNotMatch: sender("SignatureDoesNotMatch", "SignatureDoesNotMatch", 403),
  MissingAuthenticationToken: sender("MissingAuthenticationToken", "MissingAuthenticationToken", 403),
  IncompleteSignature: sender("IncompleteSignature", "IncompleteSignature"),
  NotFound: sender("NotFound", "NotFound", 404),
  // SNS's own codes (worker/sns renders every error in SNS's form; these exist only there).
  InvalidParameter: sender("InvalidParameter", "InvalidParameter"),
  /** SNS's InvalidParameterValueException: its Query code differs from its name. */
  ParameterValueInvalid: sender("InvalidParameterValue", "ParameterValueInvalid"),
  AuthorizationError: sender("AuthorizationError", "AuthorizationError", 403),
  TopicLimitExceeded: sender("TopicLimitExceeded", "TopicLimitExceeded", 403),
  SubscriptionLimitExceeded: sender("SubscriptionLimitExceeded", "SubscriptionLimitExceeded", 403),
  FilterPolicyLimitExceeded: sender("FilterPolicyLimitExceeded", "FilterPolicyLimitExceeded", 403),
  TagLimitExceeded: sender("TagLimitExceeded", "TagLimitExceeded"),
  ResourceNotFound: sender("ResourceNotFound", "ResourceNotFound", 404),
  ValidationException: sender("ValidationException", "ValidationException"),
  MethodNotAllowed: sender("MethodNotAllowed", "MethodNotAllowed", 405),
  RequestThrottled: sender("RequestThrottled", "RequestThrottled", 403),
  InternalError: { shape: "InternalFailure", queryCode: "InternalError", status: 500, fault: "Receiver" },
  ServiceUnavailable: { shape: "ServiceUnavailable", queryCode: "ServiceUnavailable", status: 503, fault: "Receiver" },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

/** What crosses the Durable Object RPC boundary: Workers RPC drops custom properties of thrown errors. */
export interface SqsErrorData {
  code: ErrorCode;
  message: string;
}

/** The one error type. Thrown (or returned as data across RPC) anywhere; encoded to the wire in one place per protocol. */
export class SqsError extends Error {
  readonly code: ErrorCode;
  /** `options.cause`: what the platform threw, for the log line (never sent to the client). */
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SqsError";
    this.code = code;
  }
  get spec(): ErrorSpec {
    return ERRORS[this.code];
  }
  toData(): SqsErrorData {
    return { code: this.code, message: this.message };
  }
  static fromData(data: SqsErrorData): SqsError {
    return new SqsError(data.code, data.message);
  }
}

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERRORS, code);
}

/** Result of an RPC into a Durable Object: expected errors are values, only bugs are thrown. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: SqsErrorData };

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const fail = (error: SqsError): Outcome<never> => ({ ok: false, error: error.toData() });

/** Named factories: the messages are AWS's wording. */
export const SqsErrors = {
  queueDoesNotExist: () => new SqsError("QueueDoesNotExist", "The specified queue does not exist."),
  queueDeletedRecently: () =>
    new SqsError(
      "QueueDeletedRecently",
      "You must wait 60 seconds after deleting a queue before you can create another with the same name.",
    ),
  queueNameExists: (attribute: string) =>
    new SqsError(
      "QueueNameExists",
      `A queue already exists with the same name and a different value for attribute ${attribute}`,
    ),
  purgeQueueInProgress: (queueName: string) =>
    new SqsError("PurgeQueueInProgress", `Only one PurgeQueue operation on ${queueName} is allowed every 60 seconds.`),
  receiptHandleIsInvalid: (handle: string) =>
    new SqsError("ReceiptHandleIsInvalid", `The input receipt handle "${handle}" is not a valid receipt handle.`),
  unknownAttribute: (name: string) => new SqsError("InvalidAttributeName", `Unknown Attribute ${name}.`),
  invalidAttributeName: (message: string) => new SqsError("InvalidAttributeName", message),
  invalidAttributeValue: (name: string, reason?: string) =>
    new SqsError(
      "InvalidAttributeValue",
      reason ? `Invalid value for the parameter ${name}. Reason: ${reason}` : `Invalid value for the parameter ${name}.`,
    ),
  invalidMessageContents: () =>
    new SqsError(
      "InvalidMessageContents",
      "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF",
    ),
  emptyBatchRequest: (entryName: string) =>
    new SqsError("EmptyBatchRequest", `There should be at least one ${entryName} in the request.`),
  tooManyEntriesInBatchRequest: (count: number) =>
    new SqsError(
      "TooManyEntriesInBatchRequest",
      `Maximum number of entries per request are 10. You have sent ${count}.`,
    ),
  invalidBatchEntryId: () =>
    new SqsError(
      "InvalidBatchEntryId",
      "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.",
    ),
  batchEntryIdsNotDistinct: (id: string) => new SqsError("BatchEntryIdsNotDistinct", `Id ${id} repeated.`),
  batchRequestTooLong: (size: number) =>
    new SqsError(
      "BatchRequestTooLong",
      `Batch requests cannot be longer than ${MAX_BATCH_PAYLOAD_BYTES} bytes. You have sent ${size} bytes.`,
    ),
  accessDenied: (resource: string) => new SqsError("AccessDenied", `Access to the resource ${resource} is denied.`),
  overLimit: (message: string) => new SqsError("OverLimit", message),
  resourceNotFound: (message: string) => new SqsError("ResourceNotFoundException", message),
  invalidParameterValue: (message: string) => new SqsError("InvalidParameterValue", message),
  /** "Value X for parameter P is invalid. Reason: R." — the form AWS uses for most range errors. */
  invalidParameter: (parameter: string, value: unknown, reason: string) =>
    new SqsError("InvalidParameterValue", `Value ${String(value)} for parameter ${parameter} is invalid. Reason: ${reason}`),
  missingParameter: (parameter: string) =>
    new SqsError("MissingParameter", `The request must contain the parameter ${parameter}.`),
  invalidAction: (action: string) => new SqsError("InvalidAction", `The action ${action} is not valid for this endpoint.`),
  unknownOperation: (target: string) =>
    new SqsError("UnknownOperation", `The operation ${target} is not valid for this endpoint.`),
  noActionAtQueueUrl: () => new SqsError("NoActionAtQueueUrl", "The request to a queue URL names no Action."),
  malformedInput: (message: string) => new SqsError("MalformedInput", message),
  missingAction: () => new SqsError("MissingAction", "The request must contain the parameter Action."),
  noSuchVersion: (version: string) =>
    new SqsError("NoSuchVersion", `The requested version (${version}) of service AmazonSQS does not exist.`),
  /** A Durable Object call failed transiently (worker/object-calls.ts); SDKs back off and retry. */
  requestThrottled: (cause: unknown) => new SqsError("RequestThrottled", "Rate exceeded", { cause }),
  internalError: (requestId: string) =>
    new SqsError("InternalError", `We encountered an internal error. Please try again. (request ${requestId})`),
};
