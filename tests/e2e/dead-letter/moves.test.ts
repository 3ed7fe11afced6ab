import {
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient } from "../clients.js";
import { md5OfAttributes } from "../md5-reference.js";
import { createQueue, redrive } from "./dead-letter-helpers.js";

const sqs = awsClient();

describe("dead-letter moves", () => {
  it("moves a message received maxReceiveCount times, keeping id, body, attributes, MD5s and counts", async () => {
    const dlq = await createQueue(sqs, "dlq");
    const source = await createQueue(sqs, "src", { RedrivePolicy: redrive(dlq, 2), VisibilityTimeout: "0" });
    const attributes = {
      colour: { DataType: "String", StringValue: "blue" },
      size: { DataType: "Number.int", StringValue: "42" },
      blob: { DataType: "Binary", BinaryValue: new Uint8Array([0, 1, 2, 255]) },
    };
    const sent = await sqs.send(
      new SendMessageCommand({ QueueUrl: source.url, MessageBody: "poison <&>", MessageAttributes: attributes }),
    );
    expect(sent.MD5OfMessageAttributes).toBe(md5OfAttributes(attributes));

    for (let i = 1; i <= 2; i++) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: source.url }));
      expect(Messages.map((m) => m.MessageId)).toEqual([sent.MessageId]);
    }
    // The third receive would exceed maxReceiveCount: the message moves instead of being delivered.
    const third = await sqs.send(new ReceiveMessageCommand({ QueueUrl: source.url }));
    expect(third.Messages).toBeUndefined();

    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlq.url,
        MessageAttributeNames: ["All"],
        MessageSystemAttributeNames: ["All"],
      }),
    );
    const [moved] = Messages;
    expect(moved?.MessageId).toBe(sent.MessageId);
    expect(moved?.Body).toBe("poison <&>");
    expect(moved?.MD5OfBody).toBe(sent.MD5OfMessageBody);
    expect(moved?.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
    expect(md5OfAttributes(moved!.MessageAttributes!)).toBe(sent.MD5OfMessageAttributes);
    expect(moved?.Attributes?.DeadLetterQueueSourceArn).toBe(source.arn);
    expect(moved?.Attributes?.ApproximateReceiveCount).toBe("3");
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: source.url, AttributeNames: ["All"] }),
    );
    expect(Attributes?.ApproximateNumberOfMessages).toBe("0");
    expect(Attributes?.ApproximateNumberOfMessagesNotVisible).toBe("0");
  });

  it("keeps group order when FIFO dead letters move to a FIFO dead-letter queue", async () => {
    const dlq = await createQueue(sqs, "dlq", {}, true);
    const source = await createQueue(
      sqs,
      "src",
      { RedrivePolicy: redrive(dlq, "1"), VisibilityTimeout: "0", ContentBasedDeduplication: "true" },
      true,
    );
    const ids: string[] = [];
    for (const body of ["a", "b", "c"]) {
      const sent = await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: body, MessageGroupId: "g" }));
      ids.push(sent.MessageId!);
    }
    const received: string[] = [];
    for (let i = 0; i < 8; i++) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: source.url, MaxNumberOfMessages: 10 }));
      received.push(...Messages.map((m) => m.Body!));
    }
    expect(received).toEqual(["a", "b", "c"]);
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlq.url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["All"] }),
    );
    expect(Messages.map((m) => m.Body)).toEqual(["a", "b", "c"]);
    expect(Messages.every((m) => m.Attributes?.MessageGroupId === "g")).toBe(true);
    // AWS replaces a FIFO dead letter's deduplication id with its MessageId (the spec says "kept").
    expect(Messages.map((m) => m.MessageId)).toEqual(ids);
    expect(Messages.map((m) => m.Attributes?.MessageDeduplicationId)).toEqual(ids);
  });

  it("stores FIFO dead letters that shared a deduplication id as two messages, each deduplicated by its MessageId", async () => {
    const dlq = await createQueue(sqs, "dlq", {}, true);
    // Deduplication per group: the same id in two groups makes two messages in the source.
    const source = await createQueue(
      sqs,
      "src",
      { RedrivePolicy: redrive(dlq, 1), VisibilityTimeout: "0", DeduplicationScope: "messageGroup" },
      true,
    );
    const ids: string[] = [];
    for (const group of ["g1", "g2"]) {
      const sent = await sqs.send(
        new SendMessageCommand({ QueueUrl: source.url, MessageBody: group, MessageGroupId: group, MessageDeduplicationId: "same" }),
      );
      ids.push(sent.MessageId!);
    }
    for (let i = 0; i < 6; i++) await sqs.send(new ReceiveMessageCommand({ QueueUrl: source.url, MaxNumberOfMessages: 10 }));
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlq.url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["All"] }),
    );
    const byBody = Object.fromEntries(Messages.map((m) => [m.Body!, m.Attributes?.MessageDeduplicationId]));
    expect(byBody).toEqual({ g1: ids[0], g2: ids[1] });
  });

  it("returns DeadLetterQueueSourceArn when it is asked for by name", async () => {
    const dlq = await createQueue(sqs, "dlq");
    const source = await createQueue(sqs, "src", { RedrivePolicy: redrive(dlq, 1), VisibilityTimeout: "0" });
    await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: "named" }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: source.url }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: source.url }));
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlq.url, MessageSystemAttributeNames: ["DeadLetterQueueSourceArn"] }),
    );
    expect(Messages.map((m) => m.Body)).toEqual(["named"]);
    expect(Messages[0]?.Attributes).toEqual({ DeadLetterQueueSourceArn: source.arn });
  });

  it("keeps a source queue working after its dead-letter queue was deleted", async () => {
    const dlq = await createQueue(sqs, "dlq");
    const source = await createQueue(sqs, "src", { RedrivePolicy: redrive(dlq, 1), VisibilityTimeout: "0" });
    await sqs.send(new DeleteQueueCommand({ QueueUrl: dlq.url }));
    await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: "still here" }));
    for (let i = 1; i <= 3; i++) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: source.url }));
      expect(Messages.map((m) => m.Body)).toEqual(["still here"]);
    }
  });
});
