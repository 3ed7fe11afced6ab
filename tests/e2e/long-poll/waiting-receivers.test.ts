/**
 * Long polls wait in the Worker, parked on sockets to a sleeping queue object, and
 * still feel as before: a send wakes a waiter at once, many waiters get distinct messages, and a
 * client that leaves mid-wait is never assigned messages: they go to the waiters still there.
 * The AWS SDK v3 (JSON) against the Worker started by global-setup; the tests run concurrently.
 */
import {
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  DeleteMessageCommand,
  SQSClient,
  type Message,
} from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient, endpoint } from "../clients.js";
import { MAIN_KEY } from "../../keys.js";
import { newQueue, sleep } from "../standard/standard-helpers.js";

const sqs = awsClient();
/** The SDK's agent holds 50 sockets by default; 100 waiters and the sends need more. */
const wide = new SQSClient({
  endpoint: endpoint(),
  region: "us-east-1",
  credentials: { accessKeyId: MAIN_KEY.accessKeyId, secretAccessKey: MAIN_KEY.secretAccessKey },
  maxAttempts: 1,
  requestHandler: { httpAgent: { maxSockets: 160 } },
});

/** A waiter is woken within 50 ms of the send (median of 5; each under the 500 ms heartbeat). */
const WAKE_TARGET_MS = 50;
const WAKE_SINGLE_LIMIT_MS = 250;
const WAKES = 5;

const receive = (client: SQSClient, QueueUrl: string, extra: Partial<ConstructorParameters<typeof ReceiveMessageCommand>[0]> = {}) =>
  client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10, MessageSystemAttributeNames: ["ApproximateReceiveCount"], ...extra }));

const batches = async (client: SQSClient, QueueUrl: string, count: number, prefix: string) => {
  const sent = await Promise.all(
    Array.from({ length: Math.ceil(count / 10) }, (_, b) =>
      client.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: Array.from({ length: Math.min(10, count - b * 10) }, (_, k) => ({ Id: `m${k}`, MessageBody: `${prefix} ${b * 10 + k}` })),
        }),
      ),
    ),
  );
  return sent.flatMap((r) => r.Successful ?? []).map((s) => s.MessageId!);
};

const ids = (messages: Message[]) => messages.map((m) => m.MessageId!).sort();

describe.concurrent("waiting receivers", () => {
  it(`wakes a waiting receiver within ${WAKE_TARGET_MS} ms of a send (median of ${WAKES})`, async () => {
    const QueueUrl = await newQueue(sqs, "lpw-wake");
    const latencies: number[] = [];
    for (let i = 0; i < WAKES; i++) {
      const poll = receive(sqs, QueueUrl).then((result) => ({ result, at: performance.now() }));
      // Long enough to be parked on its socket, so this is a wake and not the first receive.
      await sleep(300);
      const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `wake ${i}` }));
      const sent = performance.now();
      const { result, at } = await poll;
      expect(result.Messages?.map((m) => m.MessageId)).toEqual([MessageId]);
      latencies.push(Math.max(0, at - sent));
      await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: result.Messages![0]!.ReceiptHandle }));
    }
    const report = `wake latencies (ms): ${latencies.map((ms) => ms.toFixed(1)).join(", ")}`;
    expect([...latencies].sort((a, b) => a - b)[Math.floor(WAKES / 2)], report).toBeLessThan(WAKE_TARGET_MS);
    for (const ms of latencies) expect(ms, report).toBeLessThan(WAKE_SINGLE_LIMIT_MS);
  });

  it("gives 100 concurrent waiters 100 distinct messages when 100 arrive", async () => {
    const QueueUrl = await newQueue(wide, "lpw-hundred");
    const polls = Array.from({ length: 100 }, () => receive(wide, QueueUrl, { MaxNumberOfMessages: 1 }));
    await sleep(1_000);
    const sent = await batches(wide, QueueUrl, 100, "for one of a hundred");
    const sentAt = performance.now();
    const results = await Promise.all(polls);
    const answeredMs = performance.now() - sentAt;
    for (const result of results) expect(result.Messages).toHaveLength(1);
    const received = results.flatMap((r) => r.Messages!);
    expect(ids(received)).toEqual([...sent].sort());
    expect(new Set(received.map((m) => m.Attributes?.ApproximateReceiveCount))).toEqual(new Set(["1"]));
    // Answered by the sends, not by their 10-second timeout.
    expect(answeredMs).toBeLessThan(5_000);
  });

  it("gives the share of a client that left mid-wait to the others at once", async () => {
    const QueueUrl = await newQueue(sqs, "lpw-departed");
    const leaving = Array.from({ length: 2 }, () => new AbortController());
    const abandoned = leaving.map((controller) =>
      sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10 }), { abortSignal: controller.signal }).then(
        () => "answered",
        (error: Error) => error.name,
      ),
    );
    const staying = Array.from({ length: 2 }, () => receive(sqs, QueueUrl, { MaxNumberOfMessages: 1 }));
    await sleep(500);
    for (const controller of leaving) controller.abort();
    expect(await Promise.all(abandoned)).toEqual(["AbortError", "AbortError"]);
    // The Worker notices a departed client by its next heartbeat (500 ms).
    await sleep(700);
    const sent = await batches(sqs, QueueUrl, 4, "not for the departed");
    const sentAt = performance.now();
    const results = await Promise.all(staying);
    expect(performance.now() - sentAt).toBeLessThan(1_000);
    for (const result of results) expect(result.Messages).toHaveLength(1);
    // The other two were assigned to no one: the next receive gets them, first time out.
    const rest = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["ApproximateReceiveCount"] }),
    );
    const received = [...results.flatMap((r) => r.Messages!), ...(rest.Messages ?? [])];
    expect(ids(received)).toEqual([...sent].sort());
    expect(received.map((m) => m.Attributes?.ApproximateReceiveCount)).toEqual(["1", "1", "1", "1"]);
  });
});
