import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
} from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient, uniqueName } from "../clients.js";
import { createFifoQueue, overFifoLayouts, sqsError } from "./fifo-helpers.js";

const sqs = awsClient();

describe("FIFO queue rules", () => {
  it("requires the .fifo suffix and FifoQueue=true together", async () => {
    const noSuffix = await sqsError(
      sqs.send(new CreateQueueCommand({ QueueName: uniqueName("nosuffix"), Attributes: { FifoQueue: "true" } })),
    );
    expect(noSuffix.name).toBe("InvalidParameterValue");
    expect(noSuffix.message).toMatch(/must end with .fifo suffix/);
    const noAttribute = await sqsError(sqs.send(new CreateQueueCommand({ QueueName: `${uniqueName("noattr")}.fifo` })));
    expect(noAttribute.name).toBe("InvalidParameterValue");
    const falseOnStandard = await sqsError(
      sqs.send(new CreateQueueCommand({ QueueName: uniqueName("std"), Attributes: { FifoQueue: "false" } })),
    );
    expect(falseOnStandard.name).toBe("InvalidAttributeName");
    expect(falseOnStandard.message).toBe("Unknown Attribute FifoQueue.");
  });

  it("lists the FIFO attributes with their defaults and refuses to change the queue type", async () => {
    const QueueUrl = await createFifoQueue(sqs);
    const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }));
    expect(Attributes).toMatchObject({
      FifoQueue: "true",
      ContentBasedDeduplication: "false",
      DeduplicationScope: "queue",
      FifoThroughputLimit: "perQueue",
    });
    const change = await sqsError(
      sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { FifoQueue: "false" } })),
    );
    expect(change.name).toBe("InvalidAttributeValue");
    expect(change.message).toMatch(/Modifying queue type is not supported/);
  });

  it("allows high-throughput mode only with per-group deduplication", async () => {
    const QueueUrl = await createFifoQueue(sqs);
    const bad = await sqsError(
      sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { FifoThroughputLimit: "perMessageGroupId" } })),
    );
    expect(bad.name).toBe("InvalidAttributeValue");
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl,
        Attributes: { FifoThroughputLimit: "perMessageGroupId", DeduplicationScope: "messageGroup" },
      }),
    );
    const onStandard = await sqsError(
      sqs.send(new CreateQueueCommand({ QueueName: uniqueName("std"), Attributes: { DeduplicationScope: "queue" } })),
    );
    expect(onStandard.name).toBe("InvalidAttributeName");
  });

  it("accepts MessageGroupId on a standard queue (fair queues) but not MessageDeduplicationId", async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName("fair") }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x", MessageGroupId: "tenant-1" }));
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ["MessageGroupId", "SequenceNumber"] }),
    );
    expect(Messages[0]?.Attributes).toEqual({ MessageGroupId: "tenant-1" });
    const dedup = await sqsError(
      sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x", MessageDeduplicationId: "d" })),
    );
    expect(dedup.name).toBe("InvalidParameterValue");
    expect(dedup.message).toMatch(/not valid for this queue type/);
  });
});

overFifoLayouts("FIFO send rules", (layout) => {
  it("requires MessageGroupId and a deduplication id, and refuses per-message delays", async () => {
    const QueueUrl = await createFifoQueue(sqs, {}, "fifo", layout);
    const noGroup = await sqsError(
      sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x", MessageDeduplicationId: "d" })),
    );
    expect(noGroup.name).toBe("MissingParameter");
    expect(noGroup.message).toBe("The request must contain the parameter MessageGroupId.");
    const noDedup = await sqsError(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x", MessageGroupId: "g" })));
    expect(noDedup.name).toBe("InvalidParameterValue");
    expect(noDedup.message).toMatch(/ContentBasedDeduplication enabled or MessageDeduplicationId/);
    const delayed = await sqsError(
      sqs.send(
        new SendMessageCommand({
          QueueUrl,
          MessageBody: "x",
          MessageGroupId: "g",
          MessageDeduplicationId: "d",
          DelaySeconds: 2,
        }),
      ),
    );
    expect(delayed.name).toBe("InvalidParameterValue");
    expect(delayed.message).toMatch(/DelaySeconds is invalid/);
    const zeroDelay = await sqs.send(
      new SendMessageCommand({ QueueUrl, MessageBody: "x", MessageGroupId: "g", MessageDeduplicationId: "d", DelaySeconds: 0 }),
    );
    expect(zeroDelay.SequenceNumber).toMatch(/^\d+$/);
    const badGroup = await sqsError(
      sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x", MessageGroupId: "has space", MessageDeduplicationId: "d" })),
    );
    expect(badGroup.name).toBe("InvalidParameterValue");
    expect(badGroup.message).toMatch(/MessageGroupId can only include alphanumeric and punctuation/);
  });

  it("fails a whole batch when an entry has no MessageGroupId", async () => {
    const QueueUrl = await createFifoQueue(sqs, { ContentBasedDeduplication: "true" }, "fifo", layout);
    const error = await sqsError(
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: [
            { Id: "a", MessageBody: "1", MessageGroupId: "g" },
            { Id: "b", MessageBody: "2" },
          ],
        }),
      ),
    );
    expect(error.name).toBe("InvalidParameterValue");
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(Messages).toBeUndefined();
  });

  it("fails a whole batch when an entry has no deduplication id and the queue does not deduplicate by content", async () => {
    const QueueUrl = await createFifoQueue(sqs, {}, "fifo", layout);
    // Eight groups: over partitions they spread, and the batch is split among several objects.
    const Entries = Array.from({ length: 8 }, (_, i) => ({
      Id: `e${i}`,
      MessageBody: `m${i}`,
      MessageGroupId: `g${i}`,
      ...(i === 5 ? {} : { MessageDeduplicationId: `d${i}` }),
    }));
    const error = await sqsError(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries })));
    expect(error.name).toBe("InvalidParameterValue");
    expect(error.message).toMatch(/ContentBasedDeduplication enabled or MessageDeduplicationId/);
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(Messages).toBeUndefined();
  });
});
