/**
 * Errors the SDK throws. Every failure of a call is a `SluiceError` carrying the SQS code;
 * transport failures keep the original as `cause`.
 */
import { ERRORS, type ErrorCode } from "./protocol/errors.js";
import type { BatchFailure, ProducerResult } from "./types.js";

/** Codes the SDK itself produces, beside the SQS codes of `ERRORS`. */
export type ClientErrorCode = "NetworkError" | "ChecksumMismatch" | "HandlerTimeout" | "ConsumerStopped" | "UnknownError";

/** Sluice answered with an error, or could not be reached. */
export class SluiceError extends Error {
  /** Our SQS code (the keys of `ERRORS`, e.g. `QueueDoesNotExist`), an SDK code, or the server's shape name if unknown. */
  readonly code: ErrorCode | ClientErrorCode | (string & {});
  /** The legacy Query code from `x-amzn-query-error`, e.g. `AWS.SimpleQueueService.NonExistentQueue`. */
  readonly queryCode?: string;
  /** HTTP status; absent when no response arrived. */
  readonly status?: number;
  readonly requestId?: string;
  /** Whether a retry could succeed: throttling, 5xx and network errors. */
  readonly retryable: boolean;

  constructor(
    code: SluiceError["code"],
    message: string,
    details: { queryCode?: string; status?: number; requestId?: string; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "SluiceError";
    this.code = code;
    this.queryCode = details.queryCode;
    this.status = details.status;
    this.requestId = details.requestId;
    this.retryable = details.retryable ?? false;
  }
}

/** An MD5 in a response does not match what was sent or received: the data was altered on the way. */
export class ChecksumMismatchError extends SluiceError {
  constructor(
    message: string,
    readonly expected: string | undefined,
    readonly actual: string | undefined,
  ) {
    super("ChecksumMismatch", message);
    this.name = "ChecksumMismatchError";
  }
}

/** A Producer entry that was not sent, with the message it carried. */
export interface ProducerFailure<Body = unknown> extends BatchFailure {
  /** The message as given to `send` (before serialisation). */
  body: Body;
  /** The request-level error when the whole batch call failed. */
  cause?: unknown;
}

/** Some messages of a `Producer.send` failed; every batch was still tried. */
export class ProducerBatchError<Body = unknown> extends SluiceError {
  constructor(
    readonly failed: ProducerFailure<Body>[],
    /** The messages that were sent, in the order given. */
    readonly sent: ProducerResult[],
  ) {
    const first = failed[0];
    super(
      first?.code ?? "UnknownError",
      `${failed.length} of ${failed.length + sent.length} messages failed` +
        (first ? `; first: ${first.id} ${first.code}: ${first.message ?? ""}` : ""),
    );
    this.name = "ProducerBatchError";
  }
}

const CODE_BY_SHAPE = new Map<string, ErrorCode>(
  (Object.keys(ERRORS) as ErrorCode[]).map((code) => [ERRORS[code].shape, code]),
);
const THROTTLING = new Set(["RequestThrottled", "ThrottlingException", "Throttling", "TooManyRequestsException"]);

/** Builds the error for a non-2xx JSON 1.0 (or REST) response. */
export function errorFromResponse(status: number, headers: Headers, text: string): SluiceError {
  let body: { __type?: string; message?: string; Message?: string; error?: { code?: string; message?: string } } = {};
  try {
    body = JSON.parse(text);
  } catch {
    // Not an SQS error body (a proxy's HTML page, say): the status decides.
  }
  // "com.amazonaws.sqs#QueueDoesNotExist:http://…" -> "QueueDoesNotExist"
  const shape = body.__type?.split("#").pop()?.split(":")[0];
  const queryCode = headers.get("x-amzn-query-error")?.split(";")[0];
  const code =
    (shape && (CODE_BY_SHAPE.get(shape) ?? shape)) ||
    // The REST API's `{"error": {"code", "message"}}` (the SDK reads a few things from it).
    body.error?.code ||
    (status === 503 ? "ServiceUnavailable" : status >= 500 ? "InternalError" : "UnknownError");
  return new SluiceError(code, body.message ?? body.Message ?? body.error?.message ?? `HTTP ${status}`, {
    queryCode,
    status,
    requestId: headers.get("x-amzn-requestid") ?? undefined,
    retryable: status >= 500 || status === 429 || THROTTLING.has(code) || THROTTLING.has(queryCode ?? ""),
  });
}
