/** Boolean queue attributes are read case-insensitively, as AWS does (recorded against AWS). */
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
} from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient, uniqueName } from "../clients.js";
import { createFifoQueue, sqsError } from "./fifo-helpers.js";

const sqs = awsClient();

async function attributes(QueueUrl: string): Promise<Record<string, string>> {
  const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }));
  return Attributes;
}

describe("boolean queue attributes", () => {
  it("makes a FIFO queue from FifoQueue \"True\" and reads ContentBasedDeduplication \"TRUE\" as true", async () => {
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({
        QueueName: `${uniqueName("bool")}.fifo`,
        Attributes: { FifoQueue: "True", ContentBasedDeduplication: "TRUE" },
      }),
    );
    expect(await attributes(QueueUrl!)).toMatchObject({ FifoQueue: "true", ContentBasedDeduplication: "true" });
    // Content-based deduplication is really on: no MessageDeduplicationId is needed.
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x", MessageGroupId: "g" }));
    expect(sent.SequenceNumber).toBeDefined();
  });

  it("accepts mixed-case booleans in SetQueueAttributes, stored lower-case", async () => {
    const QueueUrl = await createFifoQueue(sqs);
    await sqs.send(
      new SetQueueAttributesCommand({ QueueUrl, Attributes: { ContentBasedDeduplication: "True", SqsManagedSseEnabled: "FALSE" } }),
    );
    expect(await attributes(QueueUrl)).toMatchObject({ ContentBasedDeduplication: "true", SqsManagedSseEnabled: "false" });
    const bad = await sqsError(
      sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { ContentBasedDeduplication: "yes" } })),
    );
    expect(bad.name).toBe("InvalidAttributeValue");
  });

  it("accepts FifoQueue=true on a FIFO queue as a no-op, and still refuses false", async () => {
    const QueueUrl = await createFifoQueue(sqs);
    for (const value of ["true", "True"]) {
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { FifoQueue: value, DelaySeconds: "1" } }));
    }
    expect(await attributes(QueueUrl)).toMatchObject({ FifoQueue: "true", DelaySeconds: "1" });
    const change = await sqsError(sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { FifoQueue: "False" } })));
    expect(change.name).toBe("InvalidAttributeValue");
    expect(change.message).toMatch(/Modifying queue type is not supported/);
  });

  it("keeps FifoQueue an unknown attribute on a standard queue", async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName("bool-std") }));
    const onStandard = await sqsError(sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { FifoQueue: "true" } })));
    expect(onStandard.name).toBe("InvalidAttributeName");
  });
});
