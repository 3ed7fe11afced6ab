/**
 * The JSON rendition of Query answers (a Query request with `Accept: application/json`), on its
 * own: every action's result as SQS renders it. The shapes the recordings show (SendMessage,
 * ReceiveMessage empty and not, ListQueues, an error) are matched byte for byte.
 */
import { describe, expect, it } from "vitest";
import { INPUT_SHAPES, SqsError, type ActionName } from "../../sdk/protocol/index.js";
import { encodeQueryJsonError, encodeQueryJsonResult } from "../../worker/protocol/query-json.js";

const text = (action: ActionName, result: unknown) => encodeQueryJsonResult(action, result, "rid").text();
const json = async (action: ActionName, result: unknown) => JSON.parse(await text(action, result)) as Record<string, any>;

describe("encodeQueryJsonResult", () => {
  it("renders SendMessage as SQS does: every member, null when absent, keys in alphabetical order", async () => {
    expect(await text("SendMessage", { MD5OfMessageBody: "0046701aed8ee5c7de6c01430556b13e", MessageId: "59c5" })).toBe(
      '{"SendMessageResponse":{"ResponseMetadata":{"RequestId":"rid"},"SendMessageResult":{"MD5OfMessageAttributes":null,' +
        '"MD5OfMessageBody":"0046701aed8ee5c7de6c01430556b13e","MD5OfMessageSystemAttributes":null,"MessageId":"59c5","SequenceNumber":null}}}',
    );
  });

  it("renders an empty receive as messages: null, and a message with all its members", async () => {
    expect(await text("ReceiveMessage", {})).toBe(
      '{"ReceiveMessageResponse":{"ReceiveMessageResult":{"messages":null},"ResponseMetadata":{"RequestId":"rid"}}}',
    );
    const message = { MessageId: "m", ReceiptHandle: "h", MD5OfBody: "5d", Body: "hello" };
    expect(await text("ReceiveMessage", { Messages: [message] })).toBe(
      '{"ReceiveMessageResponse":{"ReceiveMessageResult":{"messages":[{"Attributes":null,"Body":"hello","MD5OfBody":"5d",' +
        '"MD5OfMessageAttributes":null,"MessageAttributes":null,"MessageId":"m","ReceiptHandle":"h"}]},"ResponseMetadata":{"RequestId":"rid"}}}',
    );
  });

  it("renders maps as objects and message attribute lists in lower camel case, binary as base64", async () => {
    const message = {
      MessageId: "m",
      ReceiptHandle: "h",
      MD5OfBody: "5d",
      Body: "b",
      Attributes: { SenderId: "000000000000", ApproximateReceiveCount: "1" },
      MD5OfMessageAttributes: "aa",
      MessageAttributes: {
        s: { DataType: "String", StringValue: "x" },
        b: { DataType: "Binary", BinaryValue: new Uint8Array([0, 1, 2]) },
      },
    };
    const [rendered] = (await json("ReceiveMessage", { Messages: [message] })).ReceiveMessageResponse.ReceiveMessageResult.messages;
    expect(Object.keys(rendered.Attributes)).toEqual(["ApproximateReceiveCount", "SenderId"]);
    expect(rendered.MessageAttributes).toEqual({
      b: { BinaryValue: "AAEC", DataType: "Binary", StringValue: null, binaryListValues: null, stringListValues: null },
      s: { BinaryValue: null, DataType: "String", StringValue: "x", binaryListValues: null, stringListValues: null },
    });
  });

  it("renders ListQueues as recorded, and queue URLs as queueUrls", async () => {
    expect(await text("ListQueues", {})).toBe(
      '{"ListQueuesResponse":{"ListQueuesResult":{"NextExclusiveStartQueueName":null,"NextToken":null,"queueUrls":null},' +
        '"ResponseMetadata":{"RequestId":"rid"}}}',
    );
    const listed = await json("ListQueues", { QueueUrls: ["u1", "u2"], NextToken: "t" });
    expect(listed.ListQueuesResponse.ListQueuesResult).toEqual({ NextExclusiveStartQueueName: null, NextToken: "t", queueUrls: ["u1", "u2"] });
    const sources = await json("ListDeadLetterSourceQueues", { queueUrls: ["u1"] });
    expect(sources.ListDeadLetterSourceQueuesResponse.ListDeadLetterSourceQueuesResult).toEqual({ NextToken: null, queueUrls: ["u1"] });
  });

  it("renders batch results as successful and failed, each entry with all its members", async () => {
    const sent = await json("SendMessageBatch", {
      Successful: [{ Id: "a", MD5OfMessageBody: "5d", MessageId: "m", SequenceNumber: "1" }],
      Failed: [{ Id: "b", SenderFault: true, Code: "InvalidMessageContents", Message: "bad" }],
    });
    expect(sent.SendMessageBatchResponse.SendMessageBatchResult).toEqual({
      failed: [{ Code: "InvalidMessageContents", Id: "b", Message: "bad", SenderFault: true }],
      successful: [
        { Id: "a", MD5OfMessageAttributes: null, MD5OfMessageBody: "5d", MD5OfMessageSystemAttributes: null, MessageId: "m", SequenceNumber: "1" },
      ],
    });
    for (const action of ["DeleteMessageBatch", "ChangeMessageVisibilityBatch"] as const) {
      const rendered = await json(action, { Successful: [{ Id: "a" }], Failed: [] });
      expect(rendered[`${action}Response`][`${action}Result`]).toEqual({ failed: null, successful: [{ Id: "a" }] });
    }
  });

  it("renders the queue, tag and move-task results", async () => {
    const result = async (action: ActionName, value: unknown) => (await json(action, value))[`${action}Response`][`${action}Result`];
    expect(await result("CreateQueue", { QueueUrl: "u" })).toEqual({ QueueUrl: "u" });
    expect(await result("GetQueueUrl", { QueueUrl: "u" })).toEqual({ QueueUrl: "u" });
    expect(await result("GetQueueAttributes", { Attributes: { VisibilityTimeout: "30" } })).toEqual({ Attributes: { VisibilityTimeout: "30" } });
    expect(await result("GetQueueAttributes", {})).toEqual({ Attributes: null });
    expect(await result("ListQueueTags", { Tags: { team: "a" } })).toEqual({ Tags: { team: "a" } });
    expect(await result("StartMessageMoveTask", { TaskHandle: "t" })).toEqual({ TaskHandle: "t" });
    expect(await result("CancelMessageMoveTask", { ApproximateNumberOfMessagesMoved: 3 })).toEqual({ ApproximateNumberOfMessagesMoved: 3 });
    const task = { Status: "COMPLETED", SourceArn: "arn", ApproximateNumberOfMessagesMoved: 2, ApproximateNumberOfMessagesToMove: 2, StartedTimestamp: 5 };
    expect(await result("ListMessageMoveTasks", { Results: [task] })).toEqual({
      results: [
        {
          ApproximateNumberOfMessagesMoved: 2,
          ApproximateNumberOfMessagesToMove: 2,
          DestinationArn: null,
          FailureReason: null,
          MaxNumberOfMessagesPerSecond: null,
          SourceArn: "arn",
          StartedTimestamp: 5,
          Status: "COMPLETED",
          TaskHandle: null,
        },
      ],
    });
  });

  it("gives every action a Response with its metadata, and a Result unless the action has no output", async () => {
    const noOutput = ["DeleteQueue", "SetQueueAttributes", "PurgeQueue", "TagQueue", "UntagQueue", "DeleteMessage", "ChangeMessageVisibility", "AddPermission", "RemovePermission"];
    for (const action of Object.keys(INPUT_SHAPES) as ActionName[]) {
      const rendered = (await json(action, {}))[`${action}Response`];
      expect(rendered.ResponseMetadata, action).toEqual({ RequestId: "rid" });
      expect(Object.keys(rendered), action).toEqual(noOutput.includes(action) ? ["ResponseMetadata"] : [`${action}Result`, "ResponseMetadata"].sort());
    }
  });
});

describe("encodeQueryJsonError", () => {
  it("renders an error as recorded: Error with Code, Message and Type, then RequestId", async () => {
    const response = encodeQueryJsonError(new SqsError("AccessDenied", "Access to the resource u is denied."), "rid");
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.text()).toBe(
      '{"Error":{"Code":"AccessDenied","Message":"Access to the resource u is denied.","Type":"Sender"},"RequestId":"rid"}',
    );
  });

  it("answers a request that names no Action in XML", async () => {
    const atQueue = encodeQueryJsonError(new SqsError("NoActionAtQueueUrl", "none"), "rid");
    expect(atQueue.status).toBe(404);
    expect(atQueue.headers.get("content-type")).toBe("text/xml");
    expect(await atQueue.text()).toBe('<?xml version="1.0"?><UnknownOperationException/>');
    const atRoot = encodeQueryJsonError(new SqsError("MissingAction", "none"), "rid");
    expect(atRoot.headers.get("content-type")).toBe("text/xml");
    expect(await atRoot.text()).toContain("<Code>MissingAction</Code>");
  });
});
