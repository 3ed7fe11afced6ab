/**
 * Peek is non-consuming: after the console has shown every message of a queue, several times
 * and in every view, receive counts, visibility and the dead-letter queue are as they were,
 * even for a message already received maxReceiveCount times (its next receive moves it).
 */
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SendMessageCommandInput,
} from "@aws-sdk/client-sqs";
import { beforeAll, describe, expect, it } from "vitest";
import { MAIN_KEY } from "../../keys.js";
import { awsClient, uniqueName } from "../clients.js";
import { get, signIn, textOf } from "./console-client.js";

const sqs = awsClient();
let cookie: string;

beforeAll(async () => {
  cookie = await signIn(MAIN_KEY);
});

interface Shown {
  id: string;
  state: string;
  receiveCount: number;
}

/** The messages the queue page shows for this query string, in the order shown. */
async function peek(queue: string, query = ""): Promise<Shown[]> {
  const page = await get(`/console/queues/${queue}${query}`, cookie);
  expect(page.status).toBe(200);
  return [...page.html.matchAll(/<tr data-message-id="([^"]+)" data-state="([^"]+)" data-receive-count="(\d+)"/g)].map((m) => ({
    id: m[1]!,
    state: m[2]!,
    receiveCount: Number(m[3]),
  }));
}

async function counts(QueueUrl: string) {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"],
    }),
  );
  return Attributes;
}

const KINDS = [
  { kind: "standard", fifo: false, grouped: false },
  { kind: "fair", fifo: false, grouped: true },
  { kind: "FIFO", fifo: true, grouped: true },
] as const;

describe.each(KINDS)("peek on a $kind queue", ({ kind, fifo, grouped }) => {
  it("changes no receive count, no visibility, and moves nothing to the dead-letter queue", async () => {
    const suffix = fifo ? ".fifo" : "";
    const name = uniqueName(`peek-${kind.toLowerCase()}`);
    const fifoAttributes = fifo ? { FifoQueue: "true", ContentBasedDeduplication: "true" } : undefined;
    const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq${suffix}`, Attributes: fifoAttributes }))).QueueUrl!;
    const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
    const QueueUrl = (
      await sqs.send(
        new CreateQueueCommand({
          QueueName: `${name}${suffix}`,
          Attributes: { ...fifoAttributes, RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) },
        }),
      )
    ).QueueUrl!;
    const queue = `${name}${suffix}`;
    const send = async (body: string, extra: Partial<SendMessageCommandInput> = {}) =>
      (await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, ...(grouped ? { MessageGroupId: `group-${body}` } : {}), ...extra })))
        .MessageId!;

    // A: received and in flight. B: received once (= maxReceiveCount), visible again. C: never received. D: delayed.
    const a = await send("A-body");
    await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 600 }));
    const b = await send("B-body");
    const receivedB = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 600 }));
    expect(receivedB.Messages?.[0]?.MessageId).toBe(b);
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: receivedB.Messages![0]!.ReceiptHandle!, VisibilityTimeout: 0 }));
    const c = await send("C-body");
    const d = fifo ? undefined : await send("D-body", { DelaySeconds: 600 });
    const before = await counts(QueueUrl);
    expect(before).toEqual({
      ApproximateNumberOfMessages: "2",
      ApproximateNumberOfMessagesNotVisible: "1",
      ApproximateNumberOfMessagesDelayed: fifo ? "0" : "1",
    });

    const expected: Shown[] = [
      { id: a, state: "in-flight", receiveCount: 1 },
      { id: b, state: "visible", receiveCount: 1 },
      { id: c, state: "visible", receiveCount: 0 },
      ...(d ? [{ id: d, state: "delayed", receiveCount: 0 }] : []),
    ];
    for (let i = 0; i < 3; i++) expect(await peek(queue)).toEqual(expected);
    expect(await peek(queue, "?order=newest")).toEqual([...expected].reverse());
    expect(await peek(queue, "?state=in-flight")).toEqual([expected[0]]);
    expect(await peek(queue, "?state=visible&state=delayed")).toEqual(expected.slice(1));
    expect(await peek(queue, "?search=C-bo")).toEqual([expected[2]]);
    expect(textOf((await get(`/console/queues/${queue}`, cookie)).html)).toContain("B-body");

    expect(await counts(QueueUrl)).toEqual(before);
    expect(await counts(dlqUrl)).toMatchObject({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" });

    // What a receive finds now is what it would have found without the peeks: C is on its first
    // receive; B, already at maxReceiveCount, moves to the dead-letter queue on this receive.
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 600, MessageSystemAttributeNames: ["All"] }),
    );
    expect(received.Messages?.map((m) => [m.MessageId, m.Attributes?.ApproximateReceiveCount])).toEqual([[c, "1"]]);
    const dlq = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MessageSystemAttributeNames: ["All"] }));
    expect(dlq.Messages?.map((m) => m.MessageId)).toEqual([b]);
  });
});

describe("peek pages", () => {
  it("pages through a queue oldest or newest first", async () => {
    const name = uniqueName("peek-pages");
    const QueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push((await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `m${i}` }))).MessageId!);
    const first = await get(`/console/queues/${name}`, cookie);
    const firstIds = [...first.html.matchAll(/data-message-id="([^"]+)"/g)].map((m) => m[1]);
    expect(firstIds).toEqual(ids.slice(0, 20));
    const next = /<a href="([^"]+)">Next page<\/a>/.exec(first.html)![1]!.replaceAll("&amp;", "&");
    const second = await get(next, cookie);
    expect([...second.html.matchAll(/data-message-id="([^"]+)"/g)].map((m) => m[1])).toEqual(ids.slice(20));
    const newest = await get(`/console/queues/${name}?order=newest`, cookie);
    expect([...newest.html.matchAll(/data-message-id="([^"]+)"/g)].map((m) => m[1])).toEqual(ids.slice(5).reverse());
  });

  it("shows the first 4096 characters of a long body, and finds it by text past them", async () => {
    const name = uniqueName("peek-long");
    const QueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    const body = `${"x".repeat(9_000)}needle${"y".repeat(1_000)}`;
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    const page = textOf((await get(`/console/queues/${name}?search=needle`, cookie)).html);
    expect(page).toContain(`${"x".repeat(4096)}…`);
    expect(page).not.toContain("x".repeat(4097));
    expect(page).toContain(`The first 4096 of ${body.length} characters.`);
  });
});
