/**
 * The SDK inside workerd, calling Sluice through a binding (`SELF` is the Worker's fetch, as a
 * service binding would be): no Node built-ins, WebCrypto signing, fetch handed in by the caller.
 */
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SluiceClient } from "../../sdk/client.js";
import { Consumer } from "../../sdk/consumer.js";
import { SluiceError } from "../../sdk/errors.js";
import { Producer } from "../../sdk/producer.js";

const sqs = new SluiceClient({
  endpoint: "https://sluice.internal",
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
  fetch: (request) => SELF.fetch(request),
});

let counter = 0;
const name = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`;

describe("SDK inside workerd through a binding", () => {
  it("creates a queue, sends, receives and deletes with MD5s verified", async () => {
    const { queueUrl } = await sqs.createQueue({ queueName: name("workerd") });
    expect(queueUrl).toMatch(/^https:\/\/sluice\.internal\//);
    const attributes = { bin: { dataType: "Binary", binaryValue: Uint8Array.of(1, 2, 3) } };
    await sqs.sendMessage({ queueUrl, body: "from a worker", attributes });
    const { messages } = await sqs.receiveMessage({ queueUrl, messageAttributeNames: ["All"] });
    expect(messages.map((m) => m.body)).toEqual(["from a worker"]);
    expect(messages[0]!.attributes).toEqual(attributes);
    await sqs.deleteMessage({ queueUrl, receiptHandle: messages[0]!.receiptHandle });
    await expect(sqs.receiveMessage({ queueUrl })).resolves.toEqual({ messages: [] });
  });

  it("throws typed errors", async () => {
    const error = await sqs.getQueueUrl({ queueName: name("missing") }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SluiceError);
    expect(error).toMatchObject({ code: "QueueDoesNotExist", status: 400 });
  });

  it("produces and consumes", async () => {
    const { queueUrl } = await sqs.createQueue({ queueName: name("workerd-pc") });
    await new Producer<{ n: number }>({ client: sqs, queueUrl }).send(
      Array.from({ length: 12 }, (_, n) => ({ body: { n } })),
    );
    const seen: number[] = [];
    const consumer = new Consumer<{ n: number }>({
      client: sqs,
      queueUrl,
      waitTimeSeconds: 0,
      deserializer: JSON.parse,
      handleMessage: (message) => void seen.push(message.body.n),
    });
    let processed = 0;
    const done = new Promise<void>((resolve) =>
      consumer.on("message_processed", () => ++processed === 12 && resolve()),
    );
    consumer.start();
    await done;
    await consumer.stop();
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, n) => n));
  });
});
