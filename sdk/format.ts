/**
 * The one place where the SDK's camelCase shapes (`types.ts`) meet the AWS member names of the
 * wire (`protocol/actions.ts`): `input` maps a method's argument to the request, `output` maps
 * the decoded response back. Absent optional members stay `undefined` and vanish from the JSON.
 */
import type * as Aws from "./protocol/actions.js";
import type { ActionName, Requests, Results } from "./protocol/actions.js";
import { SluiceError } from "./errors.js";
import type * as T from "./types.js";

interface Format<A extends ActionName> {
  input(input: T.ClientRequests[A]): Requests[A];
  output(result: Results[A]): T.ClientResults[A];
}

const none = (): void => undefined;
const queueUrl = (i: T.QueueUrlInput): Aws.QueueUrlRequest => ({ QueueUrl: i.queueUrl });
const queueUrlOut = (r: { QueueUrl: string }): T.QueueUrlOutput => ({ queueUrl: r.QueueUrl });

function attributesIn(map: T.MessageAttributes | undefined): Aws.MessageAttributeMap | undefined {
  if (!map) return undefined;
  const out: Aws.MessageAttributeMap = {};
  for (const [name, v] of Object.entries(map)) {
    out[name] = { DataType: v.dataType, StringValue: v.stringValue, BinaryValue: v.binaryValue };
  }
  return out;
}

function attributesOut(map: Aws.MessageAttributeMap | undefined): T.MessageAttributes {
  const out: T.MessageAttributes = {};
  for (const [name, v] of Object.entries(map ?? {})) {
    out[name] =
      v.BinaryValue === undefined
        ? { dataType: v.DataType, stringValue: v.StringValue }
        : { dataType: v.DataType, binaryValue: v.BinaryValue };
  }
  return out;
}

function outgoingIn(m: T.OutgoingMessage): Omit<Aws.SendMessageRequest, "QueueUrl"> {
  return {
    MessageBody: m.body,
    DelaySeconds: m.delaySeconds,
    MessageAttributes: attributesIn(m.attributes),
    MessageSystemAttributes: attributesIn(m.systemAttributes),
    MessageGroupId: m.groupId,
    MessageDeduplicationId: m.deduplicationId,
  };
}

const sentOut = (r: Aws.SendMessageResult): T.SendMessageOutput => ({
  messageId: r.MessageId,
  md5OfBody: r.MD5OfMessageBody,
  md5OfAttributes: r.MD5OfMessageAttributes,
  md5OfSystemAttributes: r.MD5OfMessageSystemAttributes,
  sequenceNumber: r.SequenceNumber,
});

const messageOut = (m: Aws.Message): T.Message => ({
  messageId: m.MessageId,
  receiptHandle: m.ReceiptHandle,
  body: m.Body,
  md5OfBody: m.MD5OfBody,
  attributes: attributesOut(m.MessageAttributes),
  md5OfAttributes: m.MD5OfMessageAttributes,
  systemAttributes: m.Attributes ?? {},
});

const failedOut = (f: Aws.BatchResultErrorEntry): T.BatchFailure => ({
  id: f.Id,
  code: f.Code,
  message: f.Message,
  senderFault: f.SenderFault,
});

const idBatchOut = (r: Aws.DeleteMessageBatchResult): T.IdBatchOutput => ({
  successful: (r.Successful ?? []).map((s) => ({ id: s.Id })),
  failed: (r.Failed ?? []).map(failedOut),
});

const urlsOut = (urls: string[] | undefined, nextToken: string | undefined): T.QueueUrlsOutput => ({
  queueUrls: urls ?? [],
  nextToken,
});

const moveTaskOut = (t: Aws.ListMessageMoveTasksResultEntry): T.MessageMoveTask => ({
  taskHandle: t.TaskHandle,
  status: t.Status,
  sourceArn: t.SourceArn,
  destinationArn: t.DestinationArn,
  maxNumberOfMessagesPerSecond: t.MaxNumberOfMessagesPerSecond,
  approximateNumberOfMessagesMoved: t.ApproximateNumberOfMessagesMoved,
  approximateNumberOfMessagesToMove: t.ApproximateNumberOfMessagesToMove,
  failureReason: t.FailureReason,
  startedTimestampMs: t.StartedTimestamp,
});

const PARTITION_TAG = "sluice:partitions";

/** `partitions` is the partition tag; Sluice checks its value as it checks the tag's. */
function withPartitions(i: T.CreateQueueInput): Record<string, string> | undefined {
  if (i.partitions === undefined) return i.tags;
  const value = String(i.partitions);
  const tagged = i.tags?.[PARTITION_TAG];
  if (tagged !== undefined && tagged !== value) {
    throw new SluiceError("InvalidParameterValue", `partitions is ${value} but tags["${PARTITION_TAG}"] is "${tagged}": give one of them.`);
  }
  return { ...i.tags, [PARTITION_TAG]: value };
}

export const FORMATS: { [A in ActionName]: Format<A> } = {
  CreateQueue: {
    input: (i) => ({ QueueName: i.queueName, Attributes: i.attributes as Aws.StringMap, tags: withPartitions(i) }),
    output: queueUrlOut,
  },
  GetQueueUrl: {
    input: (i) => ({ QueueName: i.queueName, QueueOwnerAWSAccountId: i.queueOwnerAccountId }),
    output: queueUrlOut,
  },
  ListQueues: {
    input: (i) => ({ QueueNamePrefix: i.queueNamePrefix, NextToken: i.nextToken, MaxResults: i.maxResults }),
    output: (r) => urlsOut(r.QueueUrls, r.NextToken),
  },
  DeleteQueue: { input: queueUrl, output: none },
  GetQueueAttributes: {
    input: (i) => ({ QueueUrl: i.queueUrl, AttributeNames: i.attributeNames }),
    output: (r) => ({ attributes: r.Attributes ?? {} }),
  },
  SetQueueAttributes: {
    input: (i) => ({ QueueUrl: i.queueUrl, Attributes: i.attributes as Aws.StringMap }),
    output: none,
  },
  PurgeQueue: { input: queueUrl, output: none },
  TagQueue: { input: (i) => ({ QueueUrl: i.queueUrl, Tags: i.tags }), output: none },
  UntagQueue: { input: (i) => ({ QueueUrl: i.queueUrl, TagKeys: i.tagKeys }), output: none },
  ListQueueTags: { input: queueUrl, output: (r) => ({ tags: r.Tags ?? {} }) },
  SendMessage: { input: (i) => ({ QueueUrl: i.queueUrl, ...outgoingIn(i) }), output: sentOut },
  SendMessageBatch: {
    input: (i) => ({ QueueUrl: i.queueUrl, Entries: i.entries.map((e) => ({ Id: e.id, ...outgoingIn(e) })) }),
    output: (r) => ({
      successful: (r.Successful ?? []).map((s) => ({ id: s.Id, ...sentOut(s) })),
      failed: (r.Failed ?? []).map(failedOut),
    }),
  },
  ReceiveMessage: {
    input: (i) => ({
      QueueUrl: i.queueUrl,
      MaxNumberOfMessages: i.maxNumberOfMessages,
      WaitTimeSeconds: i.waitTimeSeconds,
      VisibilityTimeout: i.visibilityTimeoutSeconds,
      MessageSystemAttributeNames: i.systemAttributeNames,
      MessageAttributeNames: i.messageAttributeNames,
      ReceiveRequestAttemptId: i.receiveRequestAttemptId,
    }),
    output: (r) => ({ messages: (r.Messages ?? []).map(messageOut) }),
  },
  DeleteMessage: { input: (i) => ({ QueueUrl: i.queueUrl, ReceiptHandle: i.receiptHandle }), output: none },
  DeleteMessageBatch: {
    input: (i) => ({
      QueueUrl: i.queueUrl,
      Entries: i.entries.map((e) => ({ Id: e.id, ReceiptHandle: e.receiptHandle })),
    }),
    output: idBatchOut,
  },
  ChangeMessageVisibility: {
    input: (i) => ({
      QueueUrl: i.queueUrl,
      ReceiptHandle: i.receiptHandle,
      VisibilityTimeout: i.visibilityTimeoutSeconds,
    }),
    output: none,
  },
  ChangeMessageVisibilityBatch: {
    input: (i) => ({
      QueueUrl: i.queueUrl,
      Entries: i.entries.map((e) => ({
        Id: e.id,
        ReceiptHandle: e.receiptHandle,
        VisibilityTimeout: e.visibilityTimeoutSeconds,
      })),
    }),
    output: idBatchOut,
  },
  ListDeadLetterSourceQueues: {
    input: (i) => ({ QueueUrl: i.queueUrl, NextToken: i.nextToken, MaxResults: i.maxResults }),
    output: (r) => urlsOut(r.queueUrls, r.NextToken),
  },
  StartMessageMoveTask: {
    input: (i) => ({
      SourceArn: i.sourceArn,
      DestinationArn: i.destinationArn,
      MaxNumberOfMessagesPerSecond: i.maxNumberOfMessagesPerSecond,
    }),
    output: (r) => ({ taskHandle: r.TaskHandle }),
  },
  CancelMessageMoveTask: {
    input: (i) => ({ TaskHandle: i.taskHandle }),
    output: (r) => ({ approximateNumberOfMessagesMoved: r.ApproximateNumberOfMessagesMoved }),
  },
  ListMessageMoveTasks: {
    input: (i) => ({ SourceArn: i.sourceArn, MaxResults: i.maxResults }),
    output: (r) => ({ results: (r.Results ?? []).map(moveTaskOut) }),
  },
  AddPermission: {
    input: (i) => ({ QueueUrl: i.queueUrl, Label: i.label, AWSAccountIds: i.accountIds, Actions: i.actions }),
    output: none,
  },
  RemovePermission: { input: (i) => ({ QueueUrl: i.queueUrl, Label: i.label }), output: none },
};
