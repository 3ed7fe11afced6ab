import { parseQueueUrl, queueStub } from "../queue-url.js";
import { SqsErrors } from "../../sdk/protocol/index.js";
import { onEveryPartition } from "../partition-fanout.js";
import { partitionable, partitionCount } from "../partitions.js";
import { checkPolicyAttribute } from "../policy-attribute.js";
import { checkRedriveAttributes, recordRedrive } from "../redrive.js";
import { unwrap, type Handler } from "./handler.js";

export const setQueueAttributes: Handler<"SetQueueAttributes"> = async (input, ctx) => {
  const ref = parseQueueUrl(input.QueueUrl, ctx);
  checkPolicyAttribute(input.Attributes);
  const stub = queueStub(ctx, ref);
  let attributes = input.Attributes;
  // A partitioned FIFO queue deduplicates per group, each group in its own partition: it cannot
  // go back to queue-wide deduplication (durable-objects/partitions.md).
  if (attributes.DeduplicationScope === "queue" && !partitionable(ref.name) && (await partitionCount(ctx, ref, true)) > 1) {
    throw SqsErrors.invalidParameterValue(
      `Queue ${ref.name} has partitions: its DeduplicationScope must stay messageGroup.`,
    );
  }
  if (attributes.RedrivePolicy || attributes.RedriveAllowPolicy) {
    const source = unwrap(await stub.describe());
    attributes = await checkRedriveAttributes(ctx, source, attributes);
  }
  // Every partition takes the change before the request answers.
  const settled = attributes;
  await onEveryPartition(ctx, ref, (partition) => partition.setAttributes(settled));
  await recordRedrive(ctx, ref.name, attributes);
};
