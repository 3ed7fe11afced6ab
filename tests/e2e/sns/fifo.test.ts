/**
 * FIFO topics to FIFO queues: MessageGroupId and deduplication ids pass through, content-based
 * deduplication (SHA-256 of the message), the five-minute window per topic or per group,
 * SequenceNumber in Publish's answer and the envelope, and order per group in every queue.
 */
import { CreateTopicCommand, PublishBatchCommand, PublishCommand, SetTopicAttributesCommand, SubscribeCommand } from "@aws-sdk/client-sns";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { awsClient, uniqueName } from "../clients.js";
import { expectSnsError, receiveAll, snsClient, subscribedQueue } from "./sns-helpers.js";

const sns = snsClient();
const sqs = awsClient();

async function fifoTopic(attributes: Record<string, string> = {}): Promise<string> {
  const { TopicArn } = await sns.send(
    new CreateTopicCommand({ Name: uniqueName("fifo-t") + ".fifo", Attributes: { FifoTopic: "true", ...attributes } }),
  );
  return TopicArn!;
}

async function fifoQueue(TopicArn: string, raw: boolean) {
  const queue = await subscribedQueue(sqs, TopicArn, { fifo: true });
  await sns.send(
    new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: queue.arn, Attributes: raw ? { RawMessageDelivery: "true" } : {} }),
  );
  return queue;
}

describe("FIFO topics", () => {
  it("require a group, and a deduplication id unless content-based", async () => {
    const TopicArn = await fifoTopic();
    await expectSnsError(
      sns.send(new PublishCommand({ TopicArn, Message: "m", MessageDeduplicationId: "d" })),
      "InvalidParameterException",
      400,
      "Invalid parameter: The MessageGroupId parameter is required for FIFO topics",
    );
    await expectSnsError(
      sns.send(new PublishCommand({ TopicArn, Message: "m", MessageGroupId: "g" })),
      "InvalidParameterException",
      400,
      "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
    );
    await expectSnsError(
      sns.send(new SubscribeCommand({ TopicArn, Protocol: "https", Endpoint: "https://127.0.0.1:9/" })),
      "InvalidParameterException",
      400,
    );
  });

  it("answer growing SequenceNumbers, deliver the envelope with the ids and keep each group's order", async () => {
    const TopicArn = await fifoTopic();
    const raw = await fifoQueue(TopicArn, true);
    const wrapped = await fifoQueue(TopicArn, false);
    const sequenceNumbers: string[] = [];
    for (let i = 0; i < 12; i++) {
      const group = `g${i % 3}`;
      const { SequenceNumber } = await sns.send(
        new PublishCommand({ TopicArn, Message: `${group}-${i}`, MessageGroupId: group, MessageDeduplicationId: `d${i}` }),
      );
      sequenceNumbers.push(SequenceNumber!);
    }
    expect(sequenceNumbers.every((s) => /^\d{20}$/.test(s))).toBe(true);
    const asBig = sequenceNumbers.map(BigInt);
    for (let i = 1; i < asBig.length; i++) expect(asBig[i]! > asBig[i - 1]!).toBe(true);

    const rawMessages = await receiveAll(sqs, raw.url, 12, 10_000, { remove: true });
    const wrappedMessages = await receiveAll(sqs, wrapped.url, 12, 10_000, { remove: true });
    for (const messages of [rawMessages, wrappedMessages]) expect(messages).toHaveLength(12);
    for (const group of ["g0", "g1", "g2"]) {
      const inGroup = rawMessages.filter((m) => m.Attributes!.MessageGroupId === group).map((m) => m.Body);
      expect(inGroup).toEqual(Array.from({ length: 12 }, (_, i) => i).filter((i) => i % 3 === Number(group[1])).map((i) => `${group}-${i}`));
    }
    expect(rawMessages.map((m) => m.Attributes!.MessageDeduplicationId).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `d${i}`).sort());
    const envelopes = wrappedMessages.map((m) => JSON.parse(m.Body!));
    expect(Object.keys(envelopes[0]).slice(0, 3)).toEqual(["Type", "MessageId", "SequenceNumber"]);
    expect(envelopes.map((e) => e.SequenceNumber).sort()).toEqual([...sequenceNumbers].sort());
  });

  it("deduplicate for five minutes, per topic by default, per group with FifoThroughputScope MessageGroup", async () => {
    const TopicArn = await fifoTopic();
    // The queue deduplicates per group too, or its own window would drop what the topic lets through.
    const queue = await subscribedQueue(sqs, TopicArn, { fifo: true, attributes: { DeduplicationScope: "messageGroup" } });
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: queue.arn, Attributes: { RawMessageDelivery: "true" } }));
    const first = await sns.send(new PublishCommand({ TopicArn, Message: "a", MessageGroupId: "g1", MessageDeduplicationId: "same" }));
    const repeat = await sns.send(new PublishCommand({ TopicArn, Message: "b", MessageGroupId: "g2", MessageDeduplicationId: "same" }));
    expect(repeat.MessageId).toBe(first.MessageId);
    expect(repeat.SequenceNumber).toBe(first.SequenceNumber);

    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: "FifoThroughputScope", AttributeValue: "MessageGroup" }));
    const otherGroup = await sns.send(new PublishCommand({ TopicArn, Message: "c", MessageGroupId: "g3", MessageDeduplicationId: "same" }));
    expect(otherGroup.MessageId).not.toBe(first.MessageId);
    const bodies = (await receiveAll(sqs, queue.url, 3, 4000, { remove: true })).map((m) => m.Body).sort();
    expect(bodies).toEqual(["a", "c"]);
  });

  it("deduplicate by the SHA-256 of the message with ContentBasedDeduplication, passing it on as the id", async () => {
    const TopicArn = await fifoTopic({ ContentBasedDeduplication: "true" });
    const queue = await fifoQueue(TopicArn, true);
    const first = await sns.send(new PublishCommand({ TopicArn, Message: "same body", MessageGroupId: "g" }));
    const again = await sns.send(new PublishCommand({ TopicArn, Message: "same body", MessageGroupId: "g" }));
    expect(again.MessageId).toBe(first.MessageId);
    await sns.send(new PublishCommand({ TopicArn, Message: "other body", MessageGroupId: "g" }));
    const messages = await receiveAll(sqs, queue.url, 3, 4000, { remove: true });
    expect(messages.map((m) => m.Body)).toEqual(["same body", "other body"]);
    expect(messages[0]!.Attributes!.MessageDeduplicationId).toBe(createHash("sha256").update("same body").digest("hex"));
  });

  it("PublishBatch answers SequenceNumbers and delivers in order", async () => {
    const TopicArn = await fifoTopic();
    const queue = await fifoQueue(TopicArn, true);
    const entries = Array.from({ length: 10 }, (_, i) => ({ Id: `e${i}`, Message: `m${i}`, MessageGroupId: "g", MessageDeduplicationId: `d${i}` }));
    const { Successful } = await sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: entries }));
    expect(Successful!.every((s) => /^\d{20}$/.test(s.SequenceNumber!))).toBe(true);
    expect((await receiveAll(sqs, queue.url, 10, 10_000, { remove: true })).map((m) => m.Body)).toEqual(entries.map((e) => e.Message));
  });
});
