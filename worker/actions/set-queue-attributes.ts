import { parseQueueUrl, queueStub } from "../queue-url.js";
import { onEveryPartition } from "../partition-fanout.js";
import { checkPolicyAttribute } from "../policy-attribute.js";
import { checkRedriveAttributes, recordRedrive } from "../redrive.js";
import { unwrap, type Handler } from "./handler.js";

export const setQueueAttributes: Handler<"SetQueueAttributes"> = async (input, ctx) => {
  const ref = parseQueueUrl(input.QueueUrl, ctx);
  checkPolicyAttribute(input.Attributes);
  const stub = queueStub(ctx, ref);
  let attributes = input.Attributes;
  if (attributes.RedrivePolicy || attributes.RedriveAllowPolicy) {
    const source = unwrap(await stub.describe());
    attributes = await checkRedriveAttributes(ctx, source, attributes);
  }
  // Every partition takes the change before the request answers.
  const settled = attributes;
  await onEveryPartition(ctx, ref, (partition) => partition.setAttributes(settled));
  await recordRedrive(ctx, ref.name, attributes);
};
