import { parseAnyArn, parseTopicArn } from "../arns.js";
import { SnsErrors } from "../errors.js";
import type { SnsHandler } from "../handler.js";
import { readPublish, withContentHash } from "../publish-input.js";
import { unwrap, usableTopic } from "../topic-stub.js";

/**
 * Publish: to a topic (TopicArn, or a topic's ARN as TargetArn). A PhoneNumber (an SMS) or a
 * platform endpoint's TargetArn is accepted and never delivered, as Sluice sends no SMS or push.
 * The answer comes once the message is in the topic's outbox; the fan-out follows.
 */
export const publish: SnsHandler = async (params, ctx) => {
  const topicArnParam = params.string("TopicArn");
  const target = params.string("TargetArn");
  const phone = params.string("PhoneNumber");
  if (topicArnParam === undefined && target === undefined && phone === undefined) {
    throw SnsErrors.invalidParameter("TopicArn or TargetArn Reason: no value for required parameter");
  }
  if (topicArnParam === undefined) {
    const targetRef = target === undefined ? undefined : parseAnyArn(target);
    if (target !== undefined && (!targetRef || "id" in targetRef)) {
      if (!/^arn:aws[\w-]*:sns:[a-z0-9-]+:\d{12}:endpoint\//.test(target)) throw SnsErrors.invalidParameter("TargetArn");
    }
    if (!targetRef || "id" in targetRef) {
      readPublish(params, false);
      return { MessageId: crypto.randomUUID() };
    }
  }
  const ref = parseTopicArn(topicArnParam ?? target!, topicArnParam === undefined ? "TargetArn" : "TopicArn");
  const fifo = ref.name.endsWith(".fifo");
  const { entry } = readPublish(params, fifo);
  const topic = await usableTopic(ctx, ref, "Publish");
  const [published] = unwrap(await topic.publish([{ ...(await withContentHash(entry, fifo)), origin: ctx.origin }]));
  return { MessageId: published!.messageId, SequenceNumber: published!.sequenceNumber };
};
