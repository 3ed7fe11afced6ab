/**
 * The public contract of the Sluice SDK: options, requests, results and events, camelCase at the
 * surface (the AWS casing of the wire is mapped in `format.ts`). Units are in the names; defaults
 * are stated on each option. The Producer's and Consumer's options, which hold a client, live
 * beside their classes so that this file, which the client imports, imports no client.
 */

// ---------------------------------------------------------------------------------------------
// Client

/** SigV4 credentials (service `sqs`). */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Anything shaped like `fetch`; a Worker passes `env.SLUICE.fetch.bind(env.SLUICE)`. */
export type FetchLike = (request: Request) => Promise<Response>;

export interface ClientOptions {
  /** Origin of Sluice, e.g. `http://127.0.0.1:8787`. Every request is `POST <endpoint>/`. */
  endpoint: string;
  /** Region in the SigV4 credential scope; Sluice derives queue ARNs from it. Default `"us-east-1"`. */
  region?: string;
  /** Signs every request with SigV4. Sluice refuses unsigned requests, locally too (`npm start` takes `local`/`local`). */
  credentials?: Credentials;
  /** Transport. Default `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Attempts per call, the first included, for throttling, 5xx and network errors. Default `3`. */
  maxAttempts?: number;
  /** Backoff base: attempt n waits a random time in [0, min(max, base * 2^(n-1))]. Default `50`. */
  retryBaseDelayMs?: number;
  /** Backoff cap. Default `2000`. */
  retryMaxDelayMs?: number;
  /** Check MD5OfMessageBody / MD5OfMessageAttributes on send and receive. Default `true`. */
  verifyMd5?: boolean;
}

/** Per-call options, accepted by every client method. */
export interface CallOptions {
  /** Aborts the call (including a long poll and any retry backoff); the call rejects with the signal's reason. */
  signal?: AbortSignal;
}

// ---------------------------------------------------------------------------------------------
// Messages

/** A message attribute: `String`/`Number` (optionally `.label`) carry `stringValue`, `Binary` carries `binaryValue`. */
export interface MessageAttributeValue {
  dataType: string;
  stringValue?: string;
  binaryValue?: Uint8Array;
}
export type MessageAttributes = Record<string, MessageAttributeValue>;

/** What one message carries when it is sent (single, batch entry or Producer message). */
export interface OutgoingMessage {
  body: string;
  /** Seconds the message stays invisible after the send (0–900). Default: the queue's DelaySeconds. Not on FIFO queues. */
  delaySeconds?: number;
  attributes?: MessageAttributes;
  /** System attributes; SQS accepts only `AWSTraceHeader`. */
  systemAttributes?: MessageAttributes;
  /** MessageGroupId: required on FIFO queues; order is kept within a group. */
  groupId?: string;
  /** MessageDeduplicationId: FIFO only; required unless the queue has ContentBasedDeduplication. */
  deduplicationId?: string;
}

/** A received message. */
export interface Message<Body = string> {
  messageId: string;
  /** Changes on every receive; delete and change visibility with the latest one. */
  receiptHandle: string;
  body: Body;
  md5OfBody: string;
  /** The message attributes that were requested and present; `{}` when none. */
  attributes: MessageAttributes;
  md5OfAttributes?: string;
  /** System attributes that were requested (`SentTimestamp`, `ApproximateReceiveCount`, `MessageGroupId`, …). */
  systemAttributes: Record<string, string>;
}

export interface BatchFailure {
  id: string;
  /** The SQS code in Query style, e.g. `InvalidParameterValue`, `InvalidMessageContents`. */
  code: string;
  message?: string;
  /** True when the request was at fault, false when the server was. */
  senderFault: boolean;
}
export interface BatchResult<Success> {
  successful: Success[];
  failed: BatchFailure[];
}

// ---------------------------------------------------------------------------------------------
// Requests and results, one pair per SQS action

/** Queue attributes by their SQS names (`VisibilityTimeout`, `FifoQueue`, …); values are strings, seconds in seconds. */
export type QueueAttributes = Partial<Record<QueueAttributeName | (string & {}), string>>;
export type QueueAttributeName =
  | "All" | "DelaySeconds" | "MaximumMessageSize" | "MessageRetentionPeriod" | "ReceiveMessageWaitTimeSeconds"
  | "VisibilityTimeout" | "RedrivePolicy" | "RedriveAllowPolicy" | "Policy" | "FifoQueue" | "ContentBasedDeduplication"
  | "DeduplicationScope" | "FifoThroughputLimit" | "KmsMasterKeyId" | "KmsDataKeyReusePeriodSeconds"
  | "SqsManagedSseEnabled" | "QueueArn" | "ApproximateNumberOfMessages" | "ApproximateNumberOfMessagesNotVisible"
  | "ApproximateNumberOfMessagesDelayed" | "CreatedTimestamp" | "LastModifiedTimestamp";

export interface QueueUrlInput { queueUrl: string }
export interface QueueUrlOutput { queueUrl: string }
export interface CreateQueueInput {
  queueName: string;
  attributes?: QueueAttributes;
  tags?: Record<string, string>;
  /**
   * Spread the queue over this many partitions (queue objects, 1–64): the `sluice:partitions`
   * tag, set for you. A standard queue, or a FIFO queue in high-throughput mode
   * (`DeduplicationScope: "messageGroup"`, `FifoThroughputLimit: "perMessageGroupId"`), gets them;
   * another FIFO queue stays one object. The count can be raised later by tag, never lowered.
   */
  partitions?: number;
}
export interface CreateQueueOutput {
  queueUrl: string;
  /** When `partitions` was asked for: how many the queue has (an existing queue keeps its own count). */
  partitions?: number;
}
export interface GetQueueUrlInput { queueName: string; queueOwnerAccountId?: string }
export interface ListQueuesInput { queueNamePrefix?: string; nextToken?: string; maxResults?: number }
/** `queueUrls` is `[]` when nothing matched. */
export interface QueueUrlsOutput { queueUrls: string[]; nextToken?: string }
export interface GetQueueAttributesInput { queueUrl: string; attributeNames?: QueueAttributeName[] }
export interface QueueAttributesOutput { attributes: QueueAttributes }
export interface SetQueueAttributesInput { queueUrl: string; attributes: QueueAttributes }
export interface TagQueueInput { queueUrl: string; tags: Record<string, string> }
export interface UntagQueueInput { queueUrl: string; tagKeys: string[] }
export interface TagsOutput { tags: Record<string, string> }

export interface SendMessageInput extends OutgoingMessage { queueUrl: string }
export interface SendMessageOutput {
  messageId: string;
  md5OfBody: string;
  md5OfAttributes?: string;
  md5OfSystemAttributes?: string;
  /** FIFO only: strictly increasing per queue. */
  sequenceNumber?: string;
}
/** `id` must be unique within the batch: `[A-Za-z0-9_-]{1,80}`. */
export interface SendMessageBatchEntry extends OutgoingMessage { id: string }
export interface SendMessageBatchInput { queueUrl: string; entries: SendMessageBatchEntry[] }
export type SendMessageBatchOutput = BatchResult<SendMessageOutput & { id: string }>;

export interface ReceiveMessageInput {
  queueUrl: string;
  /** 1–10. Default `1`. */
  maxNumberOfMessages?: number;
  /** Long poll: wait up to this long (0–20) for a message. Default: the queue's ReceiveMessageWaitTimeSeconds. */
  waitTimeSeconds?: number;
  /** Default: the queue's VisibilityTimeout. */
  visibilityTimeoutSeconds?: number;
  /** System attributes to return, e.g. `["All"]` or `["MessageGroupId"]`. Default none. */
  systemAttributeNames?: string[];
  /** Message attributes to return: `["All"]` (or `.*`, `*`), names, or `prefix.*` (names starting with `prefix`). Default none. */
  messageAttributeNames?: string[];
  /** FIFO only: retrying with the same id returns the same messages. */
  receiveRequestAttemptId?: string;
}
/** `messages` is `[]` when none arrived. */
export interface ReceiveMessageOutput { messages: Message[] }

export interface DeleteMessageInput { queueUrl: string; receiptHandle: string }
export interface DeleteMessageBatchInput { queueUrl: string; entries: { id: string; receiptHandle: string }[] }
export interface ChangeMessageVisibilityInput { queueUrl: string; receiptHandle: string; visibilityTimeoutSeconds: number }
export interface ChangeMessageVisibilityBatchInput {
  queueUrl: string;
  entries: { id: string; receiptHandle: string; visibilityTimeoutSeconds: number }[];
}
export type IdBatchOutput = BatchResult<{ id: string }>;

export interface ListDeadLetterSourceQueuesInput { queueUrl: string; nextToken?: string; maxResults?: number }
export interface StartMessageMoveTaskInput {
  sourceArn: string;
  /** Default: each message goes back to the queue it was dead-lettered from. */
  destinationArn?: string;
  /** 1–500. Default: as fast as Sluice can. */
  maxNumberOfMessagesPerSecond?: number;
}
export interface MessageMoveTask {
  taskHandle?: string;
  status: "RUNNING" | "COMPLETED" | "CANCELLING" | "CANCELLED" | "FAILED";
  sourceArn: string;
  destinationArn?: string;
  maxNumberOfMessagesPerSecond?: number;
  approximateNumberOfMessagesMoved: number;
  approximateNumberOfMessagesToMove?: number;
  failureReason?: string;
  /** Epoch milliseconds. */
  startedTimestampMs: number;
}
export interface AddPermissionInput { queueUrl: string; label: string; accountIds: string[]; actions: string[] }
export interface RemovePermissionInput { queueUrl: string; label: string }

/** Action name -> the camelCase input of its client method. */
export interface ClientRequests {
  CreateQueue: CreateQueueInput;
  GetQueueUrl: GetQueueUrlInput;
  ListQueues: ListQueuesInput;
  DeleteQueue: QueueUrlInput;
  GetQueueAttributes: GetQueueAttributesInput;
  SetQueueAttributes: SetQueueAttributesInput;
  PurgeQueue: QueueUrlInput;
  TagQueue: TagQueueInput;
  UntagQueue: UntagQueueInput;
  ListQueueTags: QueueUrlInput;
  SendMessage: SendMessageInput;
  SendMessageBatch: SendMessageBatchInput;
  ReceiveMessage: ReceiveMessageInput;
  DeleteMessage: DeleteMessageInput;
  DeleteMessageBatch: DeleteMessageBatchInput;
  ChangeMessageVisibility: ChangeMessageVisibilityInput;
  ChangeMessageVisibilityBatch: ChangeMessageVisibilityBatchInput;
  ListDeadLetterSourceQueues: ListDeadLetterSourceQueuesInput;
  StartMessageMoveTask: StartMessageMoveTaskInput;
  CancelMessageMoveTask: { taskHandle: string };
  ListMessageMoveTasks: { sourceArn: string; maxResults?: number };
  AddPermission: AddPermissionInput;
  RemovePermission: RemovePermissionInput;
}

/** Action name -> what its client method resolves to. */
export interface ClientResults {
  CreateQueue: CreateQueueOutput;
  GetQueueUrl: QueueUrlOutput;
  ListQueues: QueueUrlsOutput;
  DeleteQueue: void;
  GetQueueAttributes: QueueAttributesOutput;
  SetQueueAttributes: void;
  PurgeQueue: void;
  TagQueue: void;
  UntagQueue: void;
  ListQueueTags: TagsOutput;
  SendMessage: SendMessageOutput;
  SendMessageBatch: SendMessageBatchOutput;
  ReceiveMessage: ReceiveMessageOutput;
  DeleteMessage: void;
  DeleteMessageBatch: IdBatchOutput;
  ChangeMessageVisibility: void;
  ChangeMessageVisibilityBatch: IdBatchOutput;
  ListDeadLetterSourceQueues: QueueUrlsOutput;
  StartMessageMoveTask: { taskHandle: string };
  CancelMessageMoveTask: { approximateNumberOfMessagesMoved: number };
  ListMessageMoveTasks: { results: MessageMoveTask[] };
  AddPermission: void;
  RemovePermission: void;
}


// ---------------------------------------------------------------------------------------------
// Producer

/** One message for `Producer.send`: a body plus the per-message fields of `OutgoingMessage`. */
export interface ProducerMessage<Body = string> extends Omit<OutgoingMessage, "body"> {
  /** Batch entry id, unique within one `send` call (`[A-Za-z0-9_-]{1,80}`). Default: the message's index in the call. */
  id?: string;
  body: Body;
}

/** One message sent by `Producer.send`, in the order given. */
export interface ProducerResult extends SendMessageOutput {
  id: string;
}

// ---------------------------------------------------------------------------------------------
// Consumer

/** Passed to handlers; `signal` aborts when `handleMessageTimeoutMs` or the `stop()` deadline runs out. */
export interface HandlerContext {
  signal: AbortSignal;
}

/** Options of `Consumer.stop()`. */
export interface StopOptions {
  /**
   * The longest `stop()` waits (from the call) for running handlers; then their signal aborts with
   * code `ConsumerStopped` and their messages are no longer kept invisible. Default: no limit.
   */
  timeoutMs?: number;
}

/** Events of a Consumer and their arguments. */
export interface ConsumerEvents<Body = string> {
  /** A message arrived and is held (kept invisible) until it is settled. */
  message_received: [message: Message<Body>];
  /** A handler succeeded and the message was deleted (or `shouldDeleteMessages` is false). */
  message_processed: [message: Message<Body>];
  /** A handler (or the deserializer) threw or timed out; the message was backed off. */
  processing_error: [error: unknown, message: Message<Body>];
  /** Talking to Sluice failed: a receive, delete, heartbeat or back-off. */
  error: [error: unknown, message?: Message<Body>];
  /** A receive returned no messages. */
  empty: [];
  /** `stop()` finished: no poll in flight, deletes flushed, no handler running (unless its `timeoutMs` passed). */
  stopped: [];
}
