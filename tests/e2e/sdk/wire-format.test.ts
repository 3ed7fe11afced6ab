/** Every client method puts AWS member names on the wire (AWS JSON 1.0). */
import { expect, it } from "vitest";
import { SluiceClient } from "../../../sdk/client.js";
import type { ActionName } from "../../../sdk/protocol/actions.js";
import type { ClientRequests } from "../../../sdk/types.js";
import { json, scriptedFetch } from "./fake-fetch.js";

const QueueUrl = "http://sluice.test/000000000000/q";
const queueUrl = QueueUrl;
const h = "handle";

const CASES: { [A in ActionName]: [input: ClientRequests[A], wire: unknown] } = {
  CreateQueue: [
    { queueName: "q", attributes: { DelaySeconds: "1" }, tags: { t: "v" } },
    { QueueName: "q", Attributes: { DelaySeconds: "1" }, tags: { t: "v" } },
  ],
  GetQueueUrl: [{ queueName: "q", queueOwnerAccountId: "1" }, { QueueName: "q", QueueOwnerAWSAccountId: "1" }],
  ListQueues: [{ queueNamePrefix: "p", nextToken: "n", maxResults: 5 }, { QueueNamePrefix: "p", NextToken: "n", MaxResults: 5 }],
  DeleteQueue: [{ queueUrl }, { QueueUrl }],
  GetQueueAttributes: [{ queueUrl, attributeNames: ["All"] }, { QueueUrl, AttributeNames: ["All"] }],
  SetQueueAttributes: [{ queueUrl, attributes: { VisibilityTimeout: "5" } }, { QueueUrl, Attributes: { VisibilityTimeout: "5" } }],
  PurgeQueue: [{ queueUrl }, { QueueUrl }],
  TagQueue: [{ queueUrl, tags: { a: "b" } }, { QueueUrl, Tags: { a: "b" } }],
  UntagQueue: [{ queueUrl, tagKeys: ["a"] }, { QueueUrl, TagKeys: ["a"] }],
  ListQueueTags: [{ queueUrl }, { QueueUrl }],
  SendMessage: [
    {
      queueUrl,
      body: "b",
      delaySeconds: 1,
      attributes: { bin: { dataType: "Binary", binaryValue: Uint8Array.of(0, 1, 2) } },
      systemAttributes: { AWSTraceHeader: { dataType: "String", stringValue: "Root=1" } },
      groupId: "g",
      deduplicationId: "d",
    },
    {
      QueueUrl,
      MessageBody: "b",
      DelaySeconds: 1,
      MessageAttributes: { bin: { DataType: "Binary", BinaryValue: "AAEC" } },
      MessageSystemAttributes: { AWSTraceHeader: { DataType: "String", StringValue: "Root=1" } },
      MessageGroupId: "g",
      MessageDeduplicationId: "d",
    },
  ],
  SendMessageBatch: [
    { queueUrl, entries: [{ id: "1", body: "b", groupId: "g" }] },
    { QueueUrl, Entries: [{ Id: "1", MessageBody: "b", MessageGroupId: "g" }] },
  ],
  ReceiveMessage: [
    {
      queueUrl,
      maxNumberOfMessages: 10,
      waitTimeSeconds: 20,
      visibilityTimeoutSeconds: 30,
      systemAttributeNames: ["All"],
      messageAttributeNames: ["x.*"],
      receiveRequestAttemptId: "r",
    },
    {
      QueueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 20,
      VisibilityTimeout: 30,
      MessageSystemAttributeNames: ["All"],
      MessageAttributeNames: ["x.*"],
      ReceiveRequestAttemptId: "r",
    },
  ],
  DeleteMessage: [{ queueUrl, receiptHandle: h }, { QueueUrl, ReceiptHandle: h }],
  DeleteMessageBatch: [{ queueUrl, entries: [{ id: "1", receiptHandle: h }] }, { QueueUrl, Entries: [{ Id: "1", ReceiptHandle: h }] }],
  ChangeMessageVisibility: [
    { queueUrl, receiptHandle: h, visibilityTimeoutSeconds: 9 },
    { QueueUrl, ReceiptHandle: h, VisibilityTimeout: 9 },
  ],
  ChangeMessageVisibilityBatch: [
    { queueUrl, entries: [{ id: "1", receiptHandle: h, visibilityTimeoutSeconds: 9 }] },
    { QueueUrl, Entries: [{ Id: "1", ReceiptHandle: h, VisibilityTimeout: 9 }] },
  ],
  ListDeadLetterSourceQueues: [
    { queueUrl, nextToken: "n", maxResults: 2 },
    { QueueUrl, NextToken: "n", MaxResults: 2 },
  ],
  StartMessageMoveTask: [
    { sourceArn: "arn:s", destinationArn: "arn:d", maxNumberOfMessagesPerSecond: 3 },
    { SourceArn: "arn:s", DestinationArn: "arn:d", MaxNumberOfMessagesPerSecond: 3 },
  ],
  CancelMessageMoveTask: [{ taskHandle: "t" }, { TaskHandle: "t" }],
  ListMessageMoveTasks: [{ sourceArn: "arn:s", maxResults: 1 }, { SourceArn: "arn:s", MaxResults: 1 }],
  AddPermission: [
    { queueUrl, label: "l", accountIds: ["111122223333"], actions: ["SendMessage"] },
    { QueueUrl, Label: "l", AWSAccountIds: ["111122223333"], Actions: ["SendMessage"] },
  ],
  RemovePermission: [{ queueUrl, label: "l" }, { QueueUrl, Label: "l" }],
};

it.each(Object.keys(CASES) as ActionName[])("%s sends AWS member names", async (action) => {
  const { fetch, requests } = scriptedFetch(() => json(200, {}));
  const client = new SluiceClient({ endpoint: "http://sluice.test", fetch, verifyMd5: false });
  const [input, wire] = CASES[action];
  const method = (action[0]!.toLowerCase() + action.slice(1)) as keyof SluiceClient;
  await (client[method] as (input: unknown) => Promise<unknown>).call(client, input);
  expect(requests).toEqual([{ target: `AmazonSQS.${action}`, body: wire }]);
});

it("maps results back to camelCase, with empty lists and maps for absent members", async () => {
  const task = {
    TaskHandle: "t",
    Status: "RUNNING",
    SourceArn: "arn:s",
    ApproximateNumberOfMessagesMoved: 1,
    ApproximateNumberOfMessagesToMove: 4,
    StartedTimestamp: 1_700_000_000_000,
  };
  const { fetch } = scriptedFetch(() => json(200, { Results: [task] }), () => json(200, {}));
  const client = new SluiceClient({ endpoint: "http://sluice.test", fetch });
  await expect(client.listMessageMoveTasks({ sourceArn: "arn:s" })).resolves.toEqual({
    results: [
      {
        taskHandle: "t",
        status: "RUNNING",
        sourceArn: "arn:s",
        approximateNumberOfMessagesMoved: 1,
        approximateNumberOfMessagesToMove: 4,
        startedTimestampMs: 1_700_000_000_000,
      },
    ],
  });
  await expect(client.listQueues()).resolves.toEqual({ queueUrls: [] });
  await expect(client.listQueueTags({ queueUrl })).resolves.toEqual({ tags: {} });
  await expect(client.getQueueAttributes({ queueUrl })).resolves.toEqual({ attributes: {} });
  await expect(client.receiveMessage({ queueUrl })).resolves.toEqual({ messages: [] });
  await expect(client.deleteMessageBatch({ queueUrl, entries: [] })).resolves.toEqual({ successful: [], failed: [] });
});
