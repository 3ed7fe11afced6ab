/**
 * What the behaviour suite needs from a client: call an action with AWS-cased input and get
 * the AWS-cased result back, whatever the client's own API, process or language. Message
 * attribute BinaryValues are Uint8Array on both sides.
 */
import type { ActionName, Requests, Results } from "../../../sdk/protocol/index.js";

export interface SqsAdapter {
  /** Shown in test names, e.g. "aws-sdk v2 (Query)". */
  readonly name: string;
  /** The wire protocol the client speaks; a few AWS messages differ between the two. */
  readonly protocol: "json" | "query";
  /** True when the client throws typed exceptions for modeled errors (e.g. QueueDoesNotExist). */
  readonly modeledExceptions: boolean;
  call<A extends ActionName>(action: A, input: Requests[A]): Promise<Results[A]>;
  close(): Promise<void>;
}

/** An SQS error as the client reported it. */
export class ClientError extends Error {
  constructor(
    /** The error code the client exposes: the legacy Query code (`AWS.SimpleQueueService.NonExistentQueue`). */
    readonly code: string,
    message: string,
    /** The client's exception class for modeled errors (`QueueDoesNotExist`), when it has one. */
    readonly exception?: string,
  ) {
    super(message);
    this.name = "ClientError";
  }
}

/**
 * Deep copy of a client's result in one canonical form, so equal values compare equal:
 * every `BinaryValue` a plain Uint8Array (clients return Buffer, bytes or base64 text), and the
 * reserved, never-used `StringListValues`/`BinaryListValues` dropped when empty (Query clients
 * fill in `[]` for absent flattened lists).
 */
export function normalizeResult<T>(value: T, fromText: (text: string) => Uint8Array = base64Bytes): T {
  const walk = (v: unknown, key?: string): unknown => {
    if (key === "BinaryValue" && typeof v === "string") return fromText(v);
    if (v instanceof Uint8Array) return new Uint8Array(v);
    if (Array.isArray(v)) return v.map((item) => walk(item));
    if (typeof v === "object" && v !== null) {
      const entries = Object.entries(v).filter(([k, item]) => !(RESERVED_LISTS.has(k) && isEmptyList(item)));
      return Object.fromEntries(entries.map(([k, item]) => [k, walk(item, k)]));
    }
    return v;
  };
  return walk(value) as T;
}

const RESERVED_LISTS = new Set(["StringListValues", "BinaryListValues"]);
const isEmptyList = (v: unknown) => Array.isArray(v) && v.length === 0;

export function base64Bytes(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "base64"));
}

/** `SendMessageBatch` -> `send-message-batch` (CLI commands). */
export function kebabCase(action: string): string {
  return action.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}
