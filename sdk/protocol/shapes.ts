/**
 * Input shapes of every action: enough of the SQS model to check JSON types and to
 * unflatten Query parameters (`Attribute.1.Name`, `SendMessageBatchRequestEntry.2.Id`, …)
 * into the same request objects. Query names follow the Query-era model.
 */
import type { ActionName } from "./actions.js";

export type Shape =
  | { type: "string" }
  | { type: "integer" }
  | { type: "boolean" }
  | { type: "blob" }
  /** Flattened list: `<queryName>.N` (1-based). */
  | { type: "list"; member: Shape; queryName: string }
  /** Flattened map: `<queryName>.N.<keyName>` and `<queryName>.N.<valueName>`. */
  | { type: "map"; value: Shape; queryName: string; keyName: string; valueName: string }
  | { type: "structure"; members: Record<string, Member> };

export interface Member {
  shape: Shape;
  required?: boolean;
}

const string: Shape = { type: "string" };
const integer: Shape = { type: "integer" };
const blob: Shape = { type: "blob" };
const req = (shape: Shape): Member => ({ shape, required: true });
const opt = (shape: Shape): Member => ({ shape });
const list = (member: Shape, queryName: string): Shape => ({ type: "list", member, queryName });
const struct = (members: Record<string, Member>): Shape => ({ type: "structure", members });

const attributeMap: Shape = { type: "map", value: string, queryName: "Attribute", keyName: "Name", valueName: "Value" };
const tagMap: Shape = { type: "map", value: string, queryName: "Tag", keyName: "Key", valueName: "Value" };

const messageAttributeValue = struct({
  DataType: req(string),
  StringValue: opt(string),
  BinaryValue: opt(blob),
  StringListValues: opt(list(string, "StringListValue")),
  BinaryListValues: opt(list(blob, "BinaryListValue")),
});
const messageAttributeMap = (queryName: string): Shape => ({
  type: "map",
  value: messageAttributeValue,
  queryName,
  keyName: "Name",
  valueName: "Value",
});

const sendMembers = {
  MessageBody: req(string),
  DelaySeconds: opt(integer),
  MessageAttributes: opt(messageAttributeMap("MessageAttribute")),
  MessageSystemAttributes: opt(messageAttributeMap("MessageSystemAttribute")),
  MessageDeduplicationId: opt(string),
  MessageGroupId: opt(string),
};

const queueUrl = { QueueUrl: req(string) };

export const INPUT_SHAPES: Record<ActionName, Record<string, Member>> = {
  CreateQueue: { QueueName: req(string), Attributes: opt(attributeMap), tags: opt(tagMap) },
  GetQueueUrl: { QueueName: req(string), QueueOwnerAWSAccountId: opt(string) },
  ListQueues: { QueueNamePrefix: opt(string), NextToken: opt(string), MaxResults: opt(integer) },
  DeleteQueue: queueUrl,
  GetQueueAttributes: { ...queueUrl, AttributeNames: opt(list(string, "AttributeName")) },
  SetQueueAttributes: { ...queueUrl, Attributes: req(attributeMap) },
  PurgeQueue: queueUrl,
  TagQueue: { ...queueUrl, Tags: req(tagMap) },
  UntagQueue: { ...queueUrl, TagKeys: req(list(string, "TagKey")) },
  ListQueueTags: queueUrl,
  SendMessage: { ...queueUrl, ...sendMembers },
  SendMessageBatch: {
    ...queueUrl,
    Entries: req(list(struct({ Id: req(string), ...sendMembers }), "SendMessageBatchRequestEntry")),
  },
  ReceiveMessage: {
    ...queueUrl,
    AttributeNames: opt(list(string, "AttributeName")),
    // No Query-era client sends it; JS v3 gives it the XML name AttributeName.
    MessageSystemAttributeNames: opt(list(string, "MessageSystemAttributeName")),
    MessageAttributeNames: opt(list(string, "MessageAttributeName")),
    MaxNumberOfMessages: opt(integer),
    VisibilityTimeout: opt(integer),
    WaitTimeSeconds: opt(integer),
    ReceiveRequestAttemptId: opt(string),
  },
  DeleteMessage: { ...queueUrl, ReceiptHandle: req(string) },
  DeleteMessageBatch: {
    ...queueUrl,
    Entries: req(list(struct({ Id: req(string), ReceiptHandle: req(string) }), "DeleteMessageBatchRequestEntry")),
  },
  ChangeMessageVisibility: { ...queueUrl, ReceiptHandle: req(string), VisibilityTimeout: req(integer) },
  ChangeMessageVisibilityBatch: {
    ...queueUrl,
    Entries: req(
      list(
        struct({ Id: req(string), ReceiptHandle: req(string), VisibilityTimeout: opt(integer) }),
        "ChangeMessageVisibilityBatchRequestEntry",
      ),
    ),
  },
  ListDeadLetterSourceQueues: { ...queueUrl, NextToken: opt(string), MaxResults: opt(integer) },
  StartMessageMoveTask: {
    SourceArn: req(string),
    DestinationArn: opt(string),
    MaxNumberOfMessagesPerSecond: opt(integer),
  },
  CancelMessageMoveTask: { TaskHandle: req(string) },
  ListMessageMoveTasks: { SourceArn: req(string), MaxResults: opt(integer) },
  AddPermission: {
    ...queueUrl,
    Label: req(string),
    AWSAccountIds: req(list(string, "AWSAccountId")),
    Actions: req(list(string, "ActionName")),
  },
  RemovePermission: { ...queueUrl, Label: req(string) },
};

export function isActionName(name: string): name is ActionName {
  return Object.hasOwn(INPUT_SHAPES, name);
}
