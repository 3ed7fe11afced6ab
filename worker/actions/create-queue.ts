import { isFifoQueueName, isQueueName, SqsErrors } from "../../sdk/protocol/index.js";
import { queueStub, queueUrl, registryStub, type QueueRef } from "../queue-url.js";
import { checkPolicyAttribute } from "../policy-attribute.js";
import { checkRedriveAttributes, recordRedrive } from "../redrive.js";
import { createPartitions } from "../partition-fanout.js";
import type { RequestContext } from "../context.js";
import { highThroughputFifo, partitionable, partitionCount, remember, requestedPartitions, taggedPartitions } from "../partitions.js";
import { checkTags } from "./tags.js";
import { unwrap, type Handler } from "./handler.js";

export const createQueue: Handler<"CreateQueue"> = async (input, ctx) => {
  const name = input.QueueName;
  checkQueueName(name, input.Attributes?.FifoQueue);
  if (input.tags && Object.keys(input.tags).length > 0) checkTags(input.tags);
  const requested = requestedPartitions(input.tags);
  checkPolicyAttribute(input.Attributes);
  const ref = { accountId: ctx.accountId, name };
  const arn = `arn:aws:sqs:${ctx.region}:${ctx.accountId}:${name}`;
  const attributes = await checkRedriveAttributes(ctx, { name, fifo: isFifoQueueName(name), arn }, input.Attributes ?? {});
  const created = unwrap(
    await queueStub(ctx, ref).create({
      name,
      accountId: ctx.accountId,
      region: ctx.region,
      attributes,
      tags: input.tags ?? {},
    }),
  );
  const partitions = requested === undefined ? 1 : await createdPartitions(ctx, ref, created);
  await createPartitions(ctx, ref, 1, partitions, attributes);
  // Recorded after the queue objects accepted: a retried create repairs a half-done one.
  const registry = registryStub(ctx, ctx.accountId);
  await registry.register(name);
  if (partitions > 1) {
    // Partition 0 answers the count with its replies (worker/partitions.ts); the registry lists it.
    unwrap(await queueStub(ctx, ref).setPartitionCount(partitions));
    remember(ref, await registry.setPartitions(name, partitions));
  }
  await recordRedrive(ctx, name, attributes);
  return { QueueUrl: queueUrl(ctx, ref) };
};

/**
 * How many partitions a queue just created (or found) asks for. An existing queue keeps its tags:
 * its own partition tag, not this request's, says how many. A FIFO queue outside high-throughput
 * mode keeps the tag as a plain tag and stays one object; an existing FIFO queue keeps the count
 * it has (one switched to high-throughput mode since gets partitions through TagQueue, which
 * keeps its groups in order: durable-objects/queue/group-homes.ts).
 */
async function createdPartitions(ctx: RequestContext, ref: QueueRef, created: boolean): Promise<number> {
  const stub = queueStub(ctx, ref);
  const tagged = taggedPartitions(unwrap(await stub.listTags()));
  if (tagged === 1 || partitionable(ref.name)) return tagged;
  if (!created) return partitionCount(ctx, ref, true);
  return highThroughputFifo(unwrap(await stub.describe()).attributes) ? tagged : 1;
}

/** A FIFO queue's name ends in .fifo and it says FifoQueue=true; a standard queue does neither. */
function checkQueueName(name: string, fifoAttribute: string | undefined): void {
  // Booleans are case-insensitive on AWS: FifoQueue "True" makes a FIFO queue.
  const fifo = fifoAttribute?.trim().toLowerCase() === "true";
  const hasSuffix = isFifoQueueName(name);
  const valid = isQueueName(name);
  if (fifo && (!hasSuffix || !valid)) {
    throw SqsErrors.invalidParameterValue(
      "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.",
    );
  }
  if (!fifo && (hasSuffix || !valid)) {
    throw SqsErrors.invalidParameterValue(
      "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length",
    );
  }
}
