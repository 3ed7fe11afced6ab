import { isFifoQueueName, isQueueName, SqsErrors } from "../../sdk/protocol/index.js";
import { queueStub, queueUrl, registryStub } from "../queue-url.js";
import { checkPolicyAttribute } from "../policy-attribute.js";
import { checkRedriveAttributes, recordRedrive } from "../redrive.js";
import { checkTags } from "./tags.js";
import { unwrap, type Handler } from "./handler.js";

export const createQueue: Handler<"CreateQueue"> = async (input, ctx) => {
  const name = input.QueueName;
  checkQueueName(name, input.Attributes?.FifoQueue);
  if (input.tags && Object.keys(input.tags).length > 0) checkTags(input.tags);
  checkPolicyAttribute(input.Attributes);
  const ref = { accountId: ctx.accountId, name };
  const arn = `arn:aws:sqs:${ctx.region}:${ctx.accountId}:${name}`;
  const attributes = await checkRedriveAttributes(ctx, { name, fifo: isFifoQueueName(name), arn }, input.Attributes ?? {});
  unwrap(
    await queueStub(ctx, ref).create({
      name,
      accountId: ctx.accountId,
      region: ctx.region,
      attributes,
      tags: input.tags ?? {},
    }),
  );
  // Recorded after the queue object accepted: a retried create repairs a half-done one.
  await registryStub(ctx, ctx.accountId).register(name);
  await recordRedrive(ctx, name, attributes);
  return { QueueUrl: queueUrl(ctx, ref) };
};

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
