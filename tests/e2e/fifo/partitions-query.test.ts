/**
 * The Query protocol (aws-sdk v2, the older client that speaks it) on 4-partition queues: a
 * high-throughput FIFO queue keeps order and deduplication per group, and a fair queue serves a
 * quiet group past a noisy group's backlog (durable-objects/partitions.md). The SDK v3 suites
 * cover the same over JSON (fifo/*.test.ts, standard/fair-queues.test.ts).
 */
import type { SQS } from "aws-sdk";
import { beforeAll, describe, expect, it } from "vitest";
import { endpoint, uniqueName } from "../clients.js";

let sqs: SQS;
beforeAll(async () => {
  const { default: AWS } = await import("aws-sdk");
  sqs = new AWS.SQS({
    endpoint: endpoint(),
    region: "us-east-1",
    credentials: new AWS.Credentials({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" }),
    maxRetries: 0,
  });
});

const TAG = "sluice:partitions";
const partitionOf = (m: SQS.Message) => Number(/^(\d+)\./.exec(m.ReceiptHandle!)?.[1] ?? 0);

/** Receives (long polls) and deletes until `count` came or three receives in a row were empty. */
async function drain(QueueUrl: string, count: number, max = 10): Promise<SQS.Message[]> {
  const got: SQS.Message[] = [];
  for (let empty = 0; got.length < count && empty < 3; ) {
    const { Messages = [] } = await sqs
      .receiveMessage({ QueueUrl, MaxNumberOfMessages: max, WaitTimeSeconds: 1, AttributeNames: ["MessageGroupId"] })
      .promise();
    if (Messages.length === 0) empty++;
    got.push(...Messages);
    if (Messages.length > 0) {
      const Entries = Messages.map((m, j) => ({ Id: `d${j}`, ReceiptHandle: m.ReceiptHandle! }));
      const { Failed } = await sqs.deleteMessageBatch({ QueueUrl, Entries }).promise();
      expect(Failed).toEqual([]);
    }
  }
  return got;
}

describe("4 partitions over the Query protocol (aws-sdk v2)", () => {
  it("keeps a high-throughput FIFO queue's order and deduplication per group", async () => {
    const { QueueUrl } = await sqs
      .createQueue({
        QueueName: `${uniqueName("qhtfifo")}.fifo`,
        Attributes: { FifoQueue: "true", DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId" },
        tags: { [TAG]: "4" },
      })
      .promise();
    const groups = Array.from({ length: 8 }, (_, g) => `g${g}`);
    const sent = new Map(groups.map((g) => [g, [] as string[]]));
    let firstId: string | undefined;
    for (let round = 0; round < 3; round++) {
      // A batch spanning every group (split over partitions by group), then a single send per group.
      const Entries = groups.map((g, i) => ({ Id: `e${i}`, MessageBody: `${g}:b${round}`, MessageGroupId: g, MessageDeduplicationId: `${g}-b${round}` }));
      const { Failed } = await sqs.sendMessageBatch({ QueueUrl: QueueUrl!, Entries }).promise();
      expect(Failed).toEqual([]);
      for (const g of groups) {
        sent.get(g)!.push(`${g}:b${round}`);
        const body = `${g}:s${round}`;
        const { MessageId } = await sqs.sendMessage({ QueueUrl: QueueUrl!, MessageBody: body, MessageGroupId: g, MessageDeduplicationId: `${g}-s${round}` }).promise();
        if (g === "g0" && round === 0) firstId = MessageId;
        sent.get(g)!.push(body);
      }
    }
    // A repeat within the window, per group, is the first message again and is not stored twice.
    const again = await sqs.sendMessage({ QueueUrl: QueueUrl!, MessageBody: "again", MessageGroupId: "g0", MessageDeduplicationId: "g0-s0" }).promise();
    expect(again.MessageId).toBe(firstId);

    const got = await drain(QueueUrl!, 48);
    const received = new Map<string, string[]>();
    const partitionsOfGroup = new Map<string, Set<number>>();
    for (const m of got) {
      const g = m.Attributes!.MessageGroupId!;
      received.set(g, [...(received.get(g) ?? []), m.Body!]);
      partitionsOfGroup.set(g, new Set([...(partitionsOfGroup.get(g) ?? []), partitionOf(m)]));
    }
    expect(got).toHaveLength(48);
    expect(received).toEqual(sent);
    // Each group lives in one partition, and the groups are spread over several.
    for (const set of partitionsOfGroup.values()) expect(set.size).toBe(1);
    expect(new Set(got.map(partitionOf)).size).toBeGreaterThan(1);
  });

  it("serves a fair queue's quiet group past a noisy group's backlog", async () => {
    const { QueueUrl } = await sqs.createQueue({ QueueName: uniqueName("qfair"), tags: { [TAG]: "4" } }).promise();
    for (let batch = 0; batch < 5; batch++) {
      const Entries = Array.from({ length: 10 }, (_, i) => ({ Id: `n${i}`, MessageBody: `noisy-${batch}-${i}`, MessageGroupId: "noisy" }));
      await sqs.sendMessageBatch({ QueueUrl: QueueUrl!, Entries }).promise();
    }
    await sqs.sendMessage({ QueueUrl: QueueUrl!, MessageBody: "quiet", MessageGroupId: "quiet" }).promise();
    const { Messages = [] } = await sqs
      .receiveMessage({ QueueUrl: QueueUrl!, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, AttributeNames: ["MessageGroupId"] })
      .promise();
    // Fifty noisy messages sent first, yet the quiet group's one is in the first receive.
    expect(Messages.map((m) => m.Body)).toContain("quiet");
  });
});
