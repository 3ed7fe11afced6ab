/**
 * Request and result types of every SQS action, in AWS casing (the JSON 1.0 member names).
 * Every protocol adapter decodes to these and encodes from these: handlers never see the wire.
 */

export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  /** Raw bytes on our side; base64 on the JSON and Query wires. */
  BinaryValue?: Uint8Array;
  StringListValues?: string[];
  BinaryListValues?: Uint8Array[];
}

export type MessageAttributeMap = Record<string, MessageAttributeValue>;
export type StringMap = Record<string, string>;

export interface CreateQueueRequest { QueueName: string; Attributes?: StringMap; tags?: StringMap }
export interface CreateQueueResult { QueueUrl: string }

export interface GetQueueUrlRequest { QueueName: string; QueueOwnerAWSAccountId?: string }
export interface GetQueueUrlResult { QueueUrl: string }

export interface ListQueuesRequest { QueueNamePrefix?: string; NextToken?: string; MaxResults?: number }
export interface ListQueuesResult { QueueUrls?: string[]; NextToken?: string }

export interface QueueUrlRequest { QueueUrl: string }
export type DeleteQueueRequest = QueueUrlRequest;
export type PurgeQueueRequest = QueueUrlRequest;
export type ListQueueTagsRequest = QueueUrlRequest;
export interface ListQueueTagsResult { Tags?: StringMap }

export interface GetQueueAttributesRequest { QueueUrl: string; AttributeNames?: string[] }
export interface GetQueueAttributesResult { Attributes?: StringMap }

export interface SetQueueAttributesRequest { QueueUrl: string; Attributes: StringMap }

export interface TagQueueRequest { QueueUrl: string; Tags: StringMap }
export interface UntagQueueRequest { QueueUrl: string; TagKeys: string[] }

export interface SendMessageRequest {
  QueueUrl: string;
  MessageBody: string;
  DelaySeconds?: number;
  MessageAttributes?: MessageAttributeMap;
  MessageSystemAttributes?: MessageAttributeMap;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}
export interface SendMessageResult {
  MD5OfMessageBody: string;
  MD5OfMessageAttributes?: string;
  MD5OfMessageSystemAttributes?: string;
  MessageId: string;
  SequenceNumber?: string;
}

export interface SendMessageBatchRequestEntry extends Omit<SendMessageRequest, "QueueUrl"> { Id: string }
export interface SendMessageBatchRequest { QueueUrl: string; Entries: SendMessageBatchRequestEntry[] }
export interface SendMessageBatchResultEntry extends SendMessageResult { Id: string }
export interface BatchResultErrorEntry { Id: string; SenderFault: boolean; Code: string; Message?: string }
export interface SendMessageBatchResult { Successful: SendMessageBatchResultEntry[]; Failed: BatchResultErrorEntry[] }

export interface ReceiveMessageRequest {
  QueueUrl: string;
  AttributeNames?: string[];
  MessageSystemAttributeNames?: string[];
  MessageAttributeNames?: string[];
  MaxNumberOfMessages?: number;
  VisibilityTimeout?: number;
  WaitTimeSeconds?: number;
  ReceiveRequestAttemptId?: string;
}
export interface Message {
  MessageId: string;
  ReceiptHandle: string;
  MD5OfBody: string;
  Body: string;
  Attributes?: StringMap;
  MD5OfMessageAttributes?: string;
  MessageAttributes?: MessageAttributeMap;
}
export interface ReceiveMessageResult { Messages?: Message[] }

export interface DeleteMessageRequest { QueueUrl: string; ReceiptHandle: string }
export interface DeleteMessageBatchRequestEntry { Id: string; ReceiptHandle: string }
export interface DeleteMessageBatchRequest { QueueUrl: string; Entries: DeleteMessageBatchRequestEntry[] }
export interface BatchIdResultEntry { Id: string }
export interface DeleteMessageBatchResult { Successful: BatchIdResultEntry[]; Failed: BatchResultErrorEntry[] }

export interface ChangeMessageVisibilityRequest { QueueUrl: string; ReceiptHandle: string; VisibilityTimeout: number }
export interface ChangeMessageVisibilityBatchRequestEntry { Id: string; ReceiptHandle: string; VisibilityTimeout?: number }
export interface ChangeMessageVisibilityBatchRequest {
  QueueUrl: string;
  Entries: ChangeMessageVisibilityBatchRequestEntry[];
}
export interface ChangeMessageVisibilityBatchResult { Successful: BatchIdResultEntry[]; Failed: BatchResultErrorEntry[] }

export interface ListDeadLetterSourceQueuesRequest { QueueUrl: string; NextToken?: string; MaxResults?: number }
export interface ListDeadLetterSourceQueuesResult { queueUrls: string[]; NextToken?: string }

export interface StartMessageMoveTaskRequest {
  SourceArn: string;
  DestinationArn?: string;
  MaxNumberOfMessagesPerSecond?: number;
}
export interface StartMessageMoveTaskResult { TaskHandle: string }
export interface CancelMessageMoveTaskRequest { TaskHandle: string }
export interface CancelMessageMoveTaskResult { ApproximateNumberOfMessagesMoved: number }
export interface ListMessageMoveTasksRequest { SourceArn: string; MaxResults?: number }
export interface ListMessageMoveTasksResultEntry {
  TaskHandle?: string;
  Status: "RUNNING" | "COMPLETED" | "CANCELLING" | "CANCELLED" | "FAILED";
  SourceArn: string;
  DestinationArn?: string;
  MaxNumberOfMessagesPerSecond?: number;
  ApproximateNumberOfMessagesMoved: number;
  ApproximateNumberOfMessagesToMove?: number;
  FailureReason?: string;
  StartedTimestamp: number;
}
export interface ListMessageMoveTasksResult { Results?: ListMessageMoveTasksResultEntry[] }

export interface AddPermissionRequest { QueueUrl: string; Label: string; AWSAccountIds: string[]; Actions: string[] }
export interface RemovePermissionRequest { QueueUrl: string; Label: string }

/** Action name -> request type. */
export interface Requests {
  CreateQueue: CreateQueueRequest;
  GetQueueUrl: GetQueueUrlRequest;
  ListQueues: ListQueuesRequest;
  DeleteQueue: DeleteQueueRequest;
  GetQueueAttributes: GetQueueAttributesRequest;
  SetQueueAttributes: SetQueueAttributesRequest;
  PurgeQueue: PurgeQueueRequest;
  TagQueue: TagQueueRequest;
  UntagQueue: UntagQueueRequest;
  ListQueueTags: ListQueueTagsRequest;
  SendMessage: SendMessageRequest;
  SendMessageBatch: SendMessageBatchRequest;
  ReceiveMessage: ReceiveMessageRequest;
  DeleteMessage: DeleteMessageRequest;
  DeleteMessageBatch: DeleteMessageBatchRequest;
  ChangeMessageVisibility: ChangeMessageVisibilityRequest;
  ChangeMessageVisibilityBatch: ChangeMessageVisibilityBatchRequest;
  ListDeadLetterSourceQueues: ListDeadLetterSourceQueuesRequest;
  StartMessageMoveTask: StartMessageMoveTaskRequest;
  CancelMessageMoveTask: CancelMessageMoveTaskRequest;
  ListMessageMoveTasks: ListMessageMoveTasksRequest;
  AddPermission: AddPermissionRequest;
  RemovePermission: RemovePermissionRequest;
}

/** Action name -> result type (`void` for actions whose response has no members). */
export interface Results {
  CreateQueue: CreateQueueResult;
  GetQueueUrl: GetQueueUrlResult;
  ListQueues: ListQueuesResult;
  DeleteQueue: void;
  GetQueueAttributes: GetQueueAttributesResult;
  SetQueueAttributes: void;
  PurgeQueue: void;
  TagQueue: void;
  UntagQueue: void;
  ListQueueTags: ListQueueTagsResult;
  SendMessage: SendMessageResult;
  SendMessageBatch: SendMessageBatchResult;
  ReceiveMessage: ReceiveMessageResult;
  DeleteMessage: void;
  DeleteMessageBatch: DeleteMessageBatchResult;
  ChangeMessageVisibility: void;
  ChangeMessageVisibilityBatch: ChangeMessageVisibilityBatchResult;
  ListDeadLetterSourceQueues: ListDeadLetterSourceQueuesResult;
  StartMessageMoveTask: StartMessageMoveTaskResult;
  CancelMessageMoveTask: CancelMessageMoveTaskResult;
  ListMessageMoveTasks: ListMessageMoveTasksResult;
  AddPermission: void;
  RemovePermission: void;
}

export type ActionName = keyof Requests;

/** The canonical decoded request every protocol adapter produces. */
export type SqsRequest = { [A in ActionName]: { action: A; input: Requests[A] } }[ActionName];
