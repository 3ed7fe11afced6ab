import { parseTopicArn } from "../arns.js";
import type { SnsHandler } from "../handler.js";
import { MAX_PUBLISH_BYTES, readPublish, withContentHash } from "../publish-input.js";
import { unwrap, usableTopic } from "../topic-stub.js";
import { SqsError } from "../../../sdk/protocol/index.js";

const MAX_ENTRIES = 10;
const ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * PublishBatch: up to ten messages, stored together in the topic's outbox. A broken entry fails
 * the whole request, as on AWS; the batch errors are SNS's.
 */
export const publishBatch: SnsHandler = async (params, ctx) => {
  const ref = parseTopicArn(params.required("TopicArn"));
  const fifo = ref.name.endsWith(".fifo");
  const entries = params.members("PublishBatchRequestEntries", (item) => item);
  if (entries.length === 0) throw new SqsError("EmptyBatchRequest", "The batch request doesn't contain any entries.");
  if (entries.length > MAX_ENTRIES) {
    throw new SqsError("TooManyEntriesInBatchRequest", "The batch request contains more entries than permissible.");
  }
  const ids = entries.map((e) => e.string("Id") ?? "");
  if (ids.some((id) => !ENTRY_ID.test(id))) {
    throw new SqsError("InvalidBatchEntryId", "The Id of a batch entry in a batch request doesn't abide by the specification.");
  }
  if (new Set(ids).size !== ids.length) {
    throw new SqsError("BatchEntryIdsNotDistinct", "Two or more batch entries in the request have the same Id.");
  }
  const inputs = entries.map((e) => readPublish(e, fifo));
  const total = inputs.reduce((sum, i) => sum + i.bytes, 0);
  if (total > MAX_PUBLISH_BYTES) {
    throw new SqsError("BatchRequestTooLong", "The length of all the messages put together is more than the limit.");
  }
  const topic = await usableTopic(ctx, ref, "Publish");
  const prepared = await Promise.all(inputs.map(async (i) => ({ ...(await withContentHash(i.entry, fifo)), origin: ctx.origin })));
  const published = unwrap(await topic.publish(prepared));
  return {
    Successful: published.map((p, k) => ({ Id: ids[k]!, MessageId: p.messageId, SequenceNumber: p.sequenceNumber })),
    Failed: [],
  };
};

