/**
 * System attributes on receive: asked for with MessageSystemAttributeNames
 * or the older AttributeNames, All or by name.
 */
import {
  ChangeMessageVisibilityCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
  type MessageSystemAttributeName,
  type QueueAttributeName,
} from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient } from "../clients.js";
import { newQueue, sleep } from "./standard-helpers.js";

const sqs = awsClient();
const TRACE = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
const HEADER_TRACE = "Root=1-67891233-abcdef012345678912345678;Parent=0123456789abcdef;Sampled=0";
const STANDARD_ALL = ["ApproximateFirstReceiveTimestamp", "ApproximateReceiveCount", "SenderId", "SentTimestamp"];

/** A client that sends every request with the X-Amzn-Trace-Id header, as X-Ray-instrumented code does. */
function tracedClient(trace: string): SQSClient {
  const client = awsClient();
  client.middlewareStack.add(
    (next) => async (args) => {
      (args.request as { headers: Record<string, string> }).headers["X-Amzn-Trace-Id"] = trace;
      return next(args);
    },
    { step: "build", name: "traceHeader" },
  );
  return client;
}

/** Sends one message (with a trace header if asked) and returns the queue and the send's time window. */
async function queueWithMessage(traced: boolean) {
  const QueueUrl = await newQueue(sqs, "sysattr");
  const before = Date.now();
  await sqs.send(
    new SendMessageCommand({
      QueueUrl,
      MessageBody: "x",
      MessageSystemAttributes: traced ? { AWSTraceHeader: { DataType: "String", StringValue: TRACE } } : undefined,
    }),
  );
  return { QueueUrl, before, after: Date.now() };
}

const receive = (
  QueueUrl: string,
  // The SDK types the deprecated AttributeNames as queue attribute names; SQS reads message ones.
  names: { system?: MessageSystemAttributeName[]; legacy?: string[] },
) =>
  sqs
    .send(
      new ReceiveMessageCommand({
        QueueUrl,
        VisibilityTimeout: 0,
        MessageSystemAttributeNames: names.system,
        AttributeNames: names.legacy as QueueAttributeName[] | undefined,
      }),
    )
    .then(({ Messages }) => {
      expect(Messages).toHaveLength(1);
      return Messages![0]!;
    });

describe("system attributes", () => {
  it("returns every standard-queue attribute, with sensible values, for All", async () => {
    const { QueueUrl, before, after } = await queueWithMessage(true);
    const received = await receive(QueueUrl, { system: ["All"] });
    const receivedAt = Date.now();
    const attributes = received.Attributes ?? {};
    expect(Object.keys(attributes).sort()).toEqual(["AWSTraceHeader", ...STANDARD_ALL].sort());
    expect(attributes.AWSTraceHeader).toBe(TRACE);
    expect(attributes.ApproximateReceiveCount).toBe("1");
    expect(attributes.SenderId).toMatch(/\S/);
    // Epoch milliseconds, between the send and the receive.
    const sent = Number(attributes.SentTimestamp);
    const firstReceive = Number(attributes.ApproximateFirstReceiveTimestamp);
    expect(attributes.SentTimestamp).toMatch(/^\d{13}$/);
    expect(sent).toBeGreaterThanOrEqual(before - 5);
    expect(sent).toBeLessThanOrEqual(after + 5);
    expect(firstReceive).toBeGreaterThanOrEqual(sent);
    expect(firstReceive).toBeLessThanOrEqual(receivedAt + 5);
  });

  it("has no AWSTraceHeader, and no FIFO attributes, when none was sent", async () => {
    const { QueueUrl } = await queueWithMessage(false);
    const received = await receive(QueueUrl, { system: ["All"] });
    expect(Object.keys(received.Attributes ?? {}).sort()).toEqual(STANDARD_ALL);
  });

  it("takes All through the older AttributeNames too", async () => {
    const { QueueUrl } = await queueWithMessage(true);
    const received = await receive(QueueUrl, { legacy: ["All"] });
    expect(Object.keys(received.Attributes ?? {}).sort()).toEqual(["AWSTraceHeader", ...STANDARD_ALL].sort());
  });

  it("returns only the attributes asked for by name", async () => {
    const { QueueUrl } = await queueWithMessage(true);
    expect(Object.keys((await receive(QueueUrl, { system: ["SenderId"] })).Attributes ?? {})).toEqual(["SenderId"]);
    const two = await receive(QueueUrl, { system: ["SentTimestamp", "AWSTraceHeader"] });
    expect(Object.keys(two.Attributes ?? {}).sort()).toEqual(["AWSTraceHeader", "SentTimestamp"]);
    const legacy = await receive(QueueUrl, { legacy: ["ApproximateReceiveCount"] });
    expect(legacy.Attributes).toEqual({ ApproximateReceiveCount: "3" });
  });

  it("prefers MessageSystemAttributeNames over AttributeNames when both are given", async () => {
    const { QueueUrl } = await queueWithMessage(false);
    const received = await receive(QueueUrl, { system: ["SentTimestamp"], legacy: ["SenderId"] });
    expect(Object.keys(received.Attributes ?? {})).toEqual(["SentTimestamp"]);
  });

  it("returns no Attributes when none are asked for", async () => {
    const { QueueUrl } = await queueWithMessage(true);
    expect((await receive(QueueUrl, {})).Attributes).toBeUndefined();
  });

  it("keeps SentTimestamp and ApproximateFirstReceiveTimestamp across receives while the count grows", async () => {
    const { QueueUrl } = await queueWithMessage(false);
    const first = await receive(QueueUrl, { system: ["All"] });
    await sleep(20);
    const second = await receive(QueueUrl, { system: ["All"] });
    expect(second.Attributes!.ApproximateReceiveCount).toBe("2");
    expect(second.Attributes!.SentTimestamp).toBe(first.Attributes!.SentTimestamp);
    expect(second.Attributes!.ApproximateFirstReceiveTimestamp).toBe(first.Attributes!.ApproximateFirstReceiveTimestamp);
    await sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: second.ReceiptHandle, VisibilityTimeout: 0 }),
    );
    expect((await receive(QueueUrl, { system: ["ApproximateReceiveCount"] })).Attributes).toEqual({
      ApproximateReceiveCount: "3",
    });
  });

  it("returns the MessageGroupId a standard (fair) queue message was sent with", async () => {
    const QueueUrl = await newQueue(sqs, "fair");
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "tenant a", MessageGroupId: "tenant-a" }));
    const received = await receive(QueueUrl, { system: ["All"] });
    expect(received.Attributes?.MessageGroupId).toBe("tenant-a");
    expect(received.Attributes).not.toHaveProperty("SequenceNumber");
    expect(received.Attributes).not.toHaveProperty("MessageDeduplicationId");
  });

  it("takes AWSTraceHeader from the X-Amzn-Trace-Id header of SendMessage and of every SendMessageBatch entry", async () => {
    const traced = tracedClient(HEADER_TRACE);
    const QueueUrl = await newQueue(sqs, "sysattr-header");
    const single = await traced.send(new SendMessageCommand({ QueueUrl, MessageBody: "single" }));
    // The MD5 covers the system attributes the request carried, and this one carried none.
    expect(single.MD5OfMessageSystemAttributes).toBeUndefined();
    const batch = await traced.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: "a", MessageBody: "batch a" },
          { Id: "b", MessageBody: "batch b" },
        ],
      }),
    );
    expect(batch.Successful).toHaveLength(2);
    const traces = new Map<string, string | undefined>();
    for (let round = 0; round < 5 && traces.size < 3; round++) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["AWSTraceHeader"] }),
      );
      for (const m of Messages) traces.set(m.Body!, m.Attributes?.AWSTraceHeader);
    }
    expect(traces).toEqual(
      new Map([
        ["single", HEADER_TRACE],
        ["batch a", HEADER_TRACE],
        ["batch b", HEADER_TRACE],
      ]),
    );
  });

  it("keeps the AWSTraceHeader the message sets itself over the request header's", async () => {
    const traced = tracedClient(HEADER_TRACE);
    const QueueUrl = await newQueue(sqs, "sysattr-header-own");
    await traced.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: "own",
        MessageSystemAttributes: { AWSTraceHeader: { DataType: "String", StringValue: TRACE } },
      }),
    );
    const received = await receive(QueueUrl, { system: ["AWSTraceHeader"] });
    expect(received.Attributes).toEqual({ AWSTraceHeader: TRACE });
  });
});
