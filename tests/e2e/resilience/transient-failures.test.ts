/**
 * A Durable Object call that fails the way Cloudflare's platform fails one
 * (`retryable`: the object was reset or the connection dropped; `overloaded`: too many requests
 * for one object) is retried by the Worker when the call is safe to repeat, and otherwise
 * answered with SQS's throttling error, which the AWS SDK recognises and retries on its own —
 * never a 500. The failures come from a test-only queue object (flaky-worker.mjs).
 */
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { isThrottlingError } from "@smithy/core/retry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAIN_KEY } from "../../keys.js";
import { signedFetch } from "../signed-fetch.js";
import { startFlakyWorker, type FlakyWorker } from "./flaky-queue.js";

let worker: FlakyWorker;
let sqs: SQSClient;
let counter = 0;

beforeAll(async () => {
  worker = await startFlakyWorker();
  // The SDK's own retry policy, as an application runs it: standard mode, 3 attempts.
  sqs = new SQSClient({
    endpoint: worker.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: MAIN_KEY.accessKeyId, secretAccessKey: MAIN_KEY.secretAccessKey },
    maxAttempts: 3,
  });
});

afterAll(async () => {
  sqs?.destroy();
  await worker?.stop();
});

async function newQueue(prefix: string): Promise<{ name: string; QueueUrl: string }> {
  const name = `${prefix}-${Date.now().toString(36)}-${++counter}`;
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  return { name, QueueUrl: QueueUrl! };
}

/** Every message left in the queue, received and counted by body. */
async function drain(QueueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 30 }));
    if (!Messages?.length) return bodies.sort();
    bodies.push(...Messages.map((m) => m.Body!));
  }
}

const logLines = (requestId: string) =>
  worker.logs.filter((line) => line.includes(requestId)).map((line) => JSON.parse(line.slice(line.indexOf("{"))) as Record<string, unknown>);

describe("a retryable failure of a call safe to repeat", () => {
  it("is retried by the Worker: the SDK's first attempt succeeds", async () => {
    const { name, QueueUrl } = await newQueue("retry-read");
    await worker.queue(name).failNext({ method: "getAttributes", kind: "retryable", times: 2 });
    const result = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
    expect(result.Attributes?.QueueArn).toBe(`arn:aws:sqs:us-east-1:${MAIN_KEY.accountId}:${name}`);
    expect(result.$metadata.attempts).toBe(1);
    expect(await worker.queue(name).callCount("getAttributes")).toBe(3);
  });

  it("out of the Worker's tries, is a throttle the SDK retries into a success", async () => {
    const { name, QueueUrl } = await newQueue("retry-sdk");
    // Three calls fail in the first request, one in the SDK's second, which then succeeds.
    await worker.queue(name).failNext({ method: "getAttributes", kind: "retryable", times: 4 });
    const result = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
    expect(result.Attributes?.QueueArn).toBeDefined();
    expect(result.$metadata.attempts).toBe(2);
    expect(await worker.queue(name).callCount("getAttributes")).toBe(5);
  });

  it("of a send that never reached the object: retried, the message stored once", async () => {
    const { name, QueueUrl } = await newQueue("retry-send");
    await worker.queue(name).failNext({ method: "send", kind: "retryable", times: 2 });
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "once" }));
    expect(sent.$metadata.attempts).toBe(1);
    expect(await worker.queue(name).callCount("send")).toBe(3);
    expect(await drain(QueueUrl)).toEqual(["once"]);
  });

  it("of a batch send that never reached the object: every entry stored once", async () => {
    const { name, QueueUrl } = await newQueue("retry-batch");
    await worker.queue(name).failNext({ method: "send", kind: "retryable", times: 1 });
    const Entries = ["a", "b", "c"].map((body) => ({ Id: body, MessageBody: body }));
    const sent = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
    expect(sent.Successful?.map((s) => s.Id).sort()).toEqual(["a", "b", "c"]);
    expect(sent.$metadata.attempts).toBe(1);
    expect(await drain(QueueUrl)).toEqual(["a", "b", "c"]);
  });
});

describe("a retryable failure of a call not safe to repeat", () => {
  it("(a receive, which would hide more messages) is not repeated by the Worker: the SDK retries the throttle", async () => {
    const { name, QueueUrl } = await newQueue("retry-receive");
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "to receive" }));
    await worker.queue(name).failNext({ method: "receive", kind: "retryable", times: 1 });
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(received.Messages?.map((m) => m.Body)).toEqual(["to receive"]);
    expect(received.$metadata.attempts).toBe(2);
    expect(await worker.queue(name).callCount("receive")).toBe(2);
  });


  it("answers a 403 RequestThrottled, not a 500, and leaves the message to a later receive", async () => {
    const { name, QueueUrl } = await newQueue("retry-receive-raw");
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "still there" }));
    await worker.queue(name).failNext({ method: "receive", kind: "retryable", times: 1 });
    const response = await signedFetch(worker.endpoint + "/", {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.ReceiveMessage" },
      body: JSON.stringify({ QueueUrl }),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("x-amzn-query-error")).toBe("RequestThrottled;Sender");
    expect(await worker.queue(name).callCount("receive")).toBe(1);
    expect(await drain(QueueUrl)).toEqual(["still there"]);
  });
});

describe("an overloaded object", () => {
  it("is not called again by the Worker; the SDK gets a throttling error it recognises, never a 500", async () => {
    const { name, QueueUrl } = await newQueue("overloaded");
    await worker.queue(name).failNext({ method: "getAttributes", kind: "overloaded", times: 100 });
    const error = await sqs.send(new GetQueueAttributesCommand({ QueueUrl })).then(
      () => undefined,
      (e: unknown) => e as Error & { $metadata: { httpStatusCode?: number; attempts?: number } },
    );
    expect(error?.name).toBe("RequestThrottled");
    expect(isThrottlingError(error as never)).toBe(true);
    expect(error?.$metadata.httpStatusCode).toBe(403);
    // The SDK's three attempts, one object call each.
    expect(error?.$metadata.attempts).toBe(3);
    expect(await worker.queue(name).callCount("getAttributes")).toBe(3);
  });

  it("answers once overloaded no more: the SDK's retry succeeds", async () => {
    const { name, QueueUrl } = await newQueue("overloaded-once");
    await worker.queue(name).failNext({ method: "send", kind: "overloaded", times: 1 });
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "after the overload" }));
    expect(sent.$metadata.attempts).toBe(2);
    expect(await drain(QueueUrl)).toEqual(["after the overload"]);
  });

  it("on the JSON wire: 403 RequestThrottled with Retry-After and the query-error header, and one log line", async () => {
    const { name, QueueUrl } = await newQueue("overloaded-json");
    await worker.queue(name).failNext({ method: "getAttributes", kind: "overloaded", times: 1 });
    const response = await signedFetch(worker.endpoint + "/", {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.GetQueueAttributes" },
      body: JSON.stringify({ QueueUrl }),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("retry-after")).toBe("1");
    expect(response.headers.get("x-amzn-query-error")).toBe("RequestThrottled;Sender");
    expect(await response.json()).toEqual({ __type: "com.amazonaws.sqs#RequestThrottled", message: "Rate exceeded" });
    const requestId = response.headers.get("x-amzn-requestid")!;
    await expect.poll(() => logLines(requestId).length).toBe(1);
    expect(logLines(requestId)[0]).toMatchObject({
      event: "throttled",
      requestId,
      action: "GetQueueAttributes",
      account: MAIN_KEY.accountId,
      queue: `${MAIN_KEY.accountId}/${name}`,
      status: 403,
      error: { overloaded: true },
    });
  });

  it("on the Query wire: the XML RequestThrottled error with Retry-After", async () => {
    const { name, QueueUrl } = await newQueue("overloaded-query");
    await worker.queue(name).failNext({ method: "getAttributes", kind: "overloaded", times: 1 });
    const response = await signedFetch(QueueUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=GetQueueAttributes&Version=2012-11-05&AttributeName.1=All",
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("retry-after")).toBe("1");
    const body = await response.text();
    expect(body).toContain("<Type>Sender</Type><Code>RequestThrottled</Code><Message>Rate exceeded</Message>");
  });
});

describe("through the REST API", () => {
  it("a throttle is HTTP's own 429 with Retry-After", async () => {
    const { name } = await newQueue("overloaded-rest");
    await worker.queue(name).failNext({ method: "receive", kind: "overloaded", times: 1 });
    const response = await signedFetch(`${worker.endpoint}/v1/queues/${name}/messages`);
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("1");
    expect(await response.json()).toEqual({ error: { code: "RequestThrottled", message: "Rate exceeded" } });
  });
});

describe("through an older client speaking Query (aws-sdk v2)", () => {
  it("an overload is a throttle it retries into a success, and one that lasts is a RequestThrottled it classifies as throttling", async () => {
    process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = "1";
    const { default: AWS } = await import("aws-sdk");
    const v2 = new AWS.SQS({
      endpoint: worker.endpoint,
      region: "us-east-1",
      credentials: new AWS.Credentials({ accessKeyId: MAIN_KEY.accessKeyId, secretAccessKey: MAIN_KEY.secretAccessKey }),
      maxRetries: 2,
      retryDelayOptions: { base: 20 },
    });
    expect((v2 as unknown as { api: { protocol: string } }).api.protocol).toBe("query");
    const { name, QueueUrl } = await newQueue("v2-throttle");
    await worker.queue(name).failNext({ method: "getAttributes", kind: "overloaded", times: 1 });
    const request = v2.getQueueAttributes({ QueueUrl, AttributeNames: ["QueueArn"] });
    const result = await request.promise();
    expect(result.Attributes?.QueueArn).toBeDefined();
    expect(result.$response.retryCount).toBe(1);

    await worker.queue(name).failNext({ method: "getAttributes", kind: "overloaded", times: 100 });
    const lasting = v2.getQueueAttributes({ QueueUrl });
    const error = await lasting.promise().then(
      () => undefined,
      (e: unknown) => e as { code: string; statusCode: number; retryable: boolean },
    );
    expect(error).toMatchObject({ code: "RequestThrottled", statusCode: 403, retryable: true });
    expect((lasting as unknown as { response: { retryCount: number } }).response.retryCount).toBe(2);
    expect((v2 as unknown as { throttledError(e: unknown): boolean }).throttledError(error)).toBe(true);
    expect(await worker.queue(name).callCount("getAttributes")).toBe(3);
  });
});

describe("an error of the object's own code", () => {
  it("is not retried and answers 500 InternalFailure, with one error log line the request id leads to", async () => {
    const { name, QueueUrl } = await newQueue("bug");
    await worker.queue(name).failNext({ method: "getAttributes", kind: "bug", times: 1 });
    const response = await signedFetch(worker.endpoint + "/", {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.GetQueueAttributes" },
      body: JSON.stringify({ QueueUrl }),
    });
    expect(response.status).toBe(500);
    expect(response.headers.get("retry-after")).toBeNull();
    expect(((await response.json()) as { __type: string }).__type).toBe("com.amazonaws.sqs#InternalFailure");
    expect(await worker.queue(name).callCount("getAttributes")).toBe(1);
    const requestId = response.headers.get("x-amzn-requestid")!;
    await expect.poll(() => logLines(requestId).length).toBe(1);
    expect(logLines(requestId)[0]).toMatchObject({
      level: "error",
      event: "failed",
      requestId,
      action: "GetQueueAttributes",
      account: MAIN_KEY.accountId,
      queue: `${MAIN_KEY.accountId}/${name}`,
      status: 500,
      error: { message: "Cannot read properties of undefined (reading 'seq')" },
    });
  });

  it("leaves a client's own mistakes out of the log", async () => {
    const response = await signedFetch(worker.endpoint + "/", {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.GetQueueUrl" },
      body: JSON.stringify({ QueueName: "no-such-queue" }),
    });
    expect(response.status).toBe(400);
    const requestId = response.headers.get("x-amzn-requestid")!;
    // A throttle's line shows up within moments (above); give this one as long to (not) appear.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(logLines(requestId)).toEqual([]);
  });
});
