/**
 * Publish and PublishBatch fanned out to queues, read back with @aws-sdk/client-sqs: the SNS
 * envelope, raw delivery with the attributes as queue message attributes (their MD5 computed
 * here independently), the queue Policy a delivery needs, and the publish rules.
 */
import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  PublishBatchCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SubscribeCommand,
} from "@aws-sdk/client-sns";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { awsClient, endpoint, uniqueName } from "../clients.js";
import { certificateAt, verifies } from "../sns-signing/message-validator.js";
import { md5OfAttributes } from "../md5-reference.js";
import { expectSnsError, receiveAll, snsClient, subscribedQueue } from "./sns-helpers.js";

const sns = snsClient();
const sqs = awsClient();

async function topic(name = uniqueName("fan")): Promise<string> {
  return (await sns.send(new CreateTopicCommand({ Name: name }))).TopicArn!;
}

async function subscribe(TopicArn: string, queueArn: string, raw = false): Promise<string> {
  const { SubscriptionArn } = await sns.send(
    new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: queueArn, Attributes: raw ? { RawMessageDelivery: "true" } : {} }),
  );
  return SubscriptionArn!;
}

describe("fan-out to standard queues", () => {
  it("gives every subscribed queue SNS's envelope, once", async () => {
    const TopicArn = await topic();
    const queues = await Promise.all([1, 2, 3].map(() => subscribedQueue(sqs, TopicArn)));
    const subscriptions = await Promise.all(queues.map((q) => subscribe(TopicArn, q.arn)));
    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn,
        Message: "order placed",
        Subject: "Orders",
        MessageAttributes: {
          kind: { DataType: "String", StringValue: "order" },
          count: { DataType: "Number", StringValue: "3" },
          blob: { DataType: "Binary", BinaryValue: new Uint8Array([1, 2, 3]) },
        },
      }),
    );
    expect(MessageId).toMatch(/^[0-9a-f-]{36}$/);
    for (const [k, queue] of queues.entries()) {
      const messages = await receiveAll(sqs, queue.url, 1);
      expect(messages).toHaveLength(1);
      const envelope = JSON.parse(messages[0]!.Body!);
      expect(Object.keys(envelope)).toEqual([
        "Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp", "SignatureVersion", "Signature", "SigningCertURL", "UnsubscribeURL", "MessageAttributes",
      ]);
      expect(envelope).toMatchObject({
        Type: "Notification",
        MessageId,
        TopicArn,
        Subject: "Orders",
        Message: "order placed",
        SignatureVersion: "1",
        MessageAttributes: {
          kind: { Type: "String", Value: "order" },
          count: { Type: "Number", Value: "3" },
          blob: { Type: "Binary", Value: "AQID" },
        },
      });
      expect(new Date(envelope.Timestamp).toISOString()).toBe(envelope.Timestamp);
      // Signed with the deployment's key: verified as a subscriber verifies, with the certificate served at SigningCertURL.
      expect(envelope.SigningCertURL).toMatch(new RegExp(`^${endpoint()}/SimpleNotificationService-[0-9a-f]{32}\\.pem$`));
      expect(verifies(envelope, await certificateAt(envelope.SigningCertURL))).toBe(true);
      expect(envelope.UnsubscribeURL).toContain(encodeURIComponent(subscriptions[k]!));
      expect(messages[0]!.MD5OfBody).toBe(createHash("md5").update(messages[0]!.Body!).digest("hex"));
      // Enveloped: the attributes travel inside the body, none on the queue message.
      expect(messages[0]!.MessageAttributes).toBeUndefined();
      // Delivered once: nothing more arrives.
      expect(await receiveAll(sqs, queue.url, 1, 1500)).toHaveLength(0);
    }
  });

  it("signs with SignatureVersion 2 when the topic says so", async () => {
    const TopicArn = await topic();
    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: "SignatureVersion", AttributeValue: "2" }));
    const queue = await subscribedQueue(sqs, TopicArn);
    await subscribe(TopicArn, queue.arn);
    await sns.send(new PublishCommand({ TopicArn, Message: "v2" }));
    const [message] = await receiveAll(sqs, queue.url, 1);
    const envelope = JSON.parse(message!.Body!);
    expect(envelope.SignatureVersion).toBe("2");
    expect(verifies(envelope, await certificateAt(envelope.SigningCertURL))).toBe(true);
    expect(verifies({ ...envelope, Message: "tampered" }, await certificateAt(envelope.SigningCertURL))).toBe(false);
  });

  it("delivers the bare message with raw delivery, the attributes becoming queue message attributes", async () => {
    const TopicArn = await topic();
    const queue = await subscribedQueue(sqs, TopicArn);
    await subscribe(TopicArn, queue.arn, true);
    const attributes = {
      kind: { DataType: "String", StringValue: "order" },
      price: { DataType: "Number", StringValue: "12.5" },
      tags: { DataType: "String.Array", StringValue: '["a","b"]' },
      blob: { DataType: "Binary", BinaryValue: new Uint8Array([0, 255, 7]) },
    };
    await sns.send(new PublishCommand({ TopicArn, Message: "raw body ☃", MessageAttributes: attributes }));
    const [message] = await receiveAll(sqs, queue.url, 1);
    expect(message!.Body).toBe("raw body ☃");
    expect(message!.MessageAttributes).toEqual({
      kind: { DataType: "String", StringValue: "order" },
      price: { DataType: "Number", StringValue: "12.5" },
      tags: { DataType: "String.Array", StringValue: '["a","b"]' },
      blob: { DataType: "Binary", BinaryValue: new Uint8Array([0, 255, 7]) },
    });
    expect(message!.MD5OfMessageAttributes).toBe(md5OfAttributes(attributes));
  });

  it("sends MessageStructure=json's sqs entry, or its default", async () => {
    const TopicArn = await topic();
    const queue = await subscribedQueue(sqs, TopicArn);
    await subscribe(TopicArn, queue.arn, true);
    await sns.send(new PublishCommand({ TopicArn, MessageStructure: "json", Message: JSON.stringify({ default: "d", sqs: "for queues" }) }));
    await sns.send(new PublishCommand({ TopicArn, MessageStructure: "json", Message: JSON.stringify({ default: "only default", email: "e" }) }));
    const bodies = (await receiveAll(sqs, queue.url, 2)).map((m) => m.Body).sort();
    expect(bodies).toEqual(["for queues", "only default"]);
  });

  it("PublishBatch delivers each entry and answers each id", async () => {
    const TopicArn = await topic();
    const queue = await subscribedQueue(sqs, TopicArn);
    await subscribe(TopicArn, queue.arn, true);
    const entries = Array.from({ length: 10 }, (_, i) => ({ Id: `e${i}`, Message: `m${i}` }));
    const { Successful, Failed } = await sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: entries }));
    expect(Failed ?? []).toEqual([]);
    expect(Successful!.map((s) => s.Id)).toEqual(entries.map((e) => e.Id));
    const bodies = (await receiveAll(sqs, queue.url, 10)).map((m) => m.Body).sort();
    expect(bodies).toEqual(entries.map((e) => e.Message).sort());
  });

  it("forwards a standard topic's MessageGroupId to a standard queue", async () => {
    const TopicArn = await topic();
    const queue = await subscribedQueue(sqs, TopicArn);
    await subscribe(TopicArn, queue.arn, true);
    await sns.send(new PublishCommand({ TopicArn, Message: "grouped", MessageGroupId: "tenant-1" }));
    const [message] = await receiveAll(sqs, queue.url, 1);
    expect(message!.Attributes!.MessageGroupId).toBe("tenant-1");
  });

  it("delivers only publishes made after the subscription", async () => {
    const TopicArn = await topic();
    const queue = await subscribedQueue(sqs, TopicArn);
    await sns.send(new PublishCommand({ TopicArn, Message: "before" }));
    await subscribe(TopicArn, queue.arn, true);
    await sns.send(new PublishCommand({ TopicArn, Message: "after" }));
    const messages = await receiveAll(sqs, queue.url, 2, 3000);
    expect(messages.map((m) => m.Body)).toEqual(["after"]);
  });
});

describe("the queue Policy", () => {
  it("must let sns.amazonaws.com send for the topic: a queue without it gets nothing, and the subscription says why", async () => {
    const TopicArn = await topic();
    const open = await subscribedQueue(sqs, TopicArn);
    const closed = await subscribedQueue(sqs, TopicArn, { policy: false });
    const otherTopic = await topic();
    const wrongTopic = await subscribedQueue(sqs, otherTopic);
    await subscribe(TopicArn, open.arn, true);
    const closedArn = await subscribe(TopicArn, closed.arn, true);
    const wrongArn = await subscribe(TopicArn, wrongTopic.arn, true);
    await sns.send(new PublishCommand({ TopicArn, Message: "guarded" }));
    expect((await receiveAll(sqs, open.url, 1)).map((m) => m.Body)).toEqual(["guarded"]);
    expect(await receiveAll(sqs, closed.url, 1, 1500)).toHaveLength(0);
    expect(await receiveAll(sqs, wrongTopic.url, 1, 500)).toHaveLength(0);
    for (const SubscriptionArn of [closedArn, wrongArn]) {
      const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
      expect(Attributes!.DeliveryFailures).toBe("1");
      expect(Attributes!.LastDeliveryFailure).toContain("does not allow sns.amazonaws.com");
    }
  });

  it("moves what a queue refuses to the subscription's dead-letter queue (RedrivePolicy)", async () => {
    const TopicArn = await topic();
    const closed = await subscribedQueue(sqs, TopicArn, { policy: false });
    const dlq = await subscribedQueue(sqs, TopicArn);
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: "sqs",
        Endpoint: closed.arn,
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) },
      }),
    );
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: "refused", Subject: "S" }));
    const [dead] = await receiveAll(sqs, dlq.url, 1);
    expect(JSON.parse(dead!.Body!)).toMatchObject({ Type: "Notification", MessageId, TopicArn, Message: "refused", Subject: "S" });
    expect(await receiveAll(sqs, closed.url, 1, 500)).toHaveLength(0);
    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
    expect(Attributes!.DeliveryFailures).toBe("1");
  });

  it("takes ArnLike with a wildcard, and Principal \"*\"", async () => {
    const TopicArn = await topic();
    const queue = await subscribedQueue(sqs, TopicArn, { policy: false });
    const { SetQueueAttributesCommand } = await import("@aws-sdk/client-sqs");
    const policy = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: "*",
          Action: "sqs:SendMessage",
          Resource: queue.arn,
          Condition: { ArnLike: { "aws:SourceArn": TopicArn.replace(/:[^:]+$/, ":fan-*") } },
        },
      ],
    };
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: { Policy: JSON.stringify(policy) } }));
    await subscribe(TopicArn, queue.arn, true);
    await sns.send(new PublishCommand({ TopicArn, Message: "wildcard" }));
    expect((await receiveAll(sqs, queue.url, 1)).map((m) => m.Body)).toEqual(["wildcard"]);
  });
});

describe("Publish's rules", () => {
  it("refuse what SNS refuses", async () => {
    const TopicArn = await topic();
    await expectSnsError(sns.send(new PublishCommand({ TopicArn, Message: "" })), "InvalidParameterException", 400, "Invalid parameter: Empty message");
    await expectSnsError(sns.send(new PublishCommand({ TopicArn, Message: "x".repeat(262_145) })), "InvalidParameterException", 400, "Invalid parameter: Message too long");
    await expectSnsError(sns.send(new PublishCommand({ TopicArn, Message: "x", Subject: "line\nbreak" })), "InvalidParameterException", 400, "Invalid parameter: Subject");
    await expectSnsError(sns.send(new PublishCommand({ TopicArn, Message: "x", Subject: "s".repeat(101) })), "InvalidParameterException", 400, "Invalid parameter: Subject");
    await expectSnsError(
      sns.send(new PublishCommand({ TopicArn, MessageStructure: "json", Message: "{" })),
      "InvalidParameterException",
      400,
      "Invalid parameter: Message Structure - JSON message body failed to parse",
    );
    await expectSnsError(
      sns.send(new PublishCommand({ TopicArn, MessageStructure: "json", Message: '{"sqs":"x"}' })),
      "InvalidParameterException",
      400,
      "Invalid parameter: Message Structure - No default entry in JSON message body",
    );
    await expectSnsError(
      sns.send(new PublishCommand({ TopicArn, Message: "x", MessageDeduplicationId: "d" })),
      "InvalidParameterException",
      400,
      /MessageDeduplicationId/,
    );
    await expectSnsError(sns.send(new PublishCommand({ TopicArn: TopicArn + "-none", Message: "x" })), "NotFoundException", 404, "Topic does not exist");
  });

  it("check message attributes as SNS does (ParameterValueInvalid)", async () => {
    const TopicArn = await topic();
    const publish = (MessageAttributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }>) =>
      sns.send(new PublishCommand({ TopicArn, Message: "x", MessageAttributes }));
    await expectSnsError(publish({ a: { DataType: "Text", StringValue: "v" } }), "InvalidParameterValueException", 400, /invalid message attribute type/);
    await expectSnsError(publish({ a: { DataType: "Number", StringValue: "abc" } }), "InvalidParameterValueException", 400, "Could not cast message attribute 'a' value to number.");
    await expectSnsError(publish({ a: { DataType: "String.Array", StringValue: "[{}]" } }), "InvalidParameterValueException", 400);
    await expectSnsError(publish({ "AWS.x": { DataType: "String", StringValue: "v" } }), "InvalidParameterValueException", 400);
    await expectSnsError(publish({ a: { DataType: "Binary", StringValue: "v" } }), "InvalidParameterValueException", 400, "The message attribute 'a' with type 'Binary' must use field 'Binary'.");
  });

  it("PublishBatch's batch errors", async () => {
    const TopicArn = await topic();
    await expectSnsError(sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [] })), "EmptyBatchRequestException", 400);
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, Message: "m" }));
    await expectSnsError(sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: eleven })), "TooManyEntriesInBatchRequestException", 400);
    await expectSnsError(
      sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: "a", Message: "m" }, { Id: "a", Message: "n" }] })),
      "BatchEntryIdsNotDistinctException",
      400,
    );
    await expectSnsError(sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: "bad id!", Message: "m" }] })), "InvalidBatchEntryIdException", 400);
    const big = Array.from({ length: 2 }, (_, i) => ({ Id: `e${i}`, Message: "x".repeat(140_000) }));
    await expectSnsError(sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: big })), "BatchRequestTooLongException", 400);
  });

  it("SetSubscriptionAttributes RawMessageDelivery changes what the next publish delivers", async () => {
    const TopicArn = await topic();
    const queue = await subscribedQueue(sqs, TopicArn);
    const arn = await subscribe(TopicArn, queue.arn);
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: arn, AttributeName: "RawMessageDelivery", AttributeValue: "true" }));
    await sns.send(new PublishCommand({ TopicArn, Message: "now raw" }));
    expect((await receiveAll(sqs, queue.url, 1)).map((m) => m.Body)).toEqual(["now raw"]);
  });
});
