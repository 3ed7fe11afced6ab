/**
 * SNS's errors: named factories for the SqsError codes SNS answers with (messages in AWS's
 * wording), and how the SNS wire names and numbers every code, SQS's shared ones included.
 */
import { SqsError, type ErrorCode } from "../../sdk/protocol/index.js";

export const SnsErrors = {
  /** `Invalid parameter: <what>`: SNS's answer to most bad input. */
  invalidParameter: (what: string) => new SqsError("InvalidParameter", `Invalid parameter: ${what}`),
  /** The same code with a message of AWS's that does not start with "Invalid parameter". */
  invalidParameterMessage: (message: string) => new SqsError("InvalidParameter", message),
  parameterValueInvalid: (message: string) => new SqsError("ParameterValueInvalid", message),
  topicNotFound: () => new SqsError("NotFound", "Topic does not exist"),
  subscriptionNotFound: () => new SqsError("NotFound", "Subscription does not exist"),
  resourceNotFound: () => new SqsError("ResourceNotFound", "Resource does not exist"),
  authorizationError: (message: string) => new SqsError("AuthorizationError", message),
  tagLimitExceeded: () =>
    new SqsError("TagLimitExceeded", "Could not complete request: tag quota of per resource exceeded"),
  validation: (message: string) => new SqsError("ValidationException", message),
};

/**
 * Codes SNS spells or numbers differently from SQS. Anything not listed keeps its Query code and
 * status (the signature errors, MalformedQueryString, InvalidAction, and SNS's own codes).
 */
const SNS_WIRE: Partial<Record<ErrorCode, [code: string, status: number]>> = {
  EmptyBatchRequest: ["EmptyBatchRequest", 400],
  TooManyEntriesInBatchRequest: ["TooManyEntriesInBatchRequest", 400],
  InvalidBatchEntryId: ["InvalidBatchEntryId", 400],
  BatchEntryIdsNotDistinct: ["BatchEntryIdsNotDistinct", 400],
  BatchRequestTooLong: ["BatchRequestTooLong", 400],
  // SNS has no InvalidParameterValue or MissingParameter of SQS's kind: both are InvalidParameter.
  InvalidParameterValue: ["InvalidParameter", 400],
  MissingParameter: ["InvalidParameter", 400],
  // A busy object: SNS's throttling answer, which every SDK backs off from.
  RequestThrottled: ["Throttled", 429],
  AccessDenied: ["AuthorizationError", 403],
};

export function snsCode(error: SqsError): { code: string; status: number } {
  const mapped = SNS_WIRE[error.code];
  return mapped ? { code: mapped[0], status: mapped[1] } : { code: error.spec.queryCode, status: error.spec.status };
}
