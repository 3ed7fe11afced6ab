/** TagQueue, UntagQueue and ListQueueTags: tags live with the queue object and go with it. */
import { MAX_TAG_KEY_LENGTH, MAX_TAG_VALUE_LENGTH, MAX_TAGS, SqsErrors } from "../../sdk/protocol/index.js";
import { createPartitions, raiseGroupPartitions } from "../partition-fanout.js";
import { highThroughputFifo, PARTITION_TAG, partitionable, partitionCount, remember, requestedPartitions } from "../partitions.js";
import { parseQueueUrl, queueStub, registryStub } from "../queue-url.js";
import { unwrap, type Handler } from "./handler.js";

const TAG_CHARACTERS = /^[\p{L}\p{N}\s_.:/=+\-@]*$/u;

export const tagQueue: Handler<"TagQueue"> = async (input, ctx) => {
  checkTags(input.Tags);
  const ref = parseQueueUrl(input.QueueUrl, ctx);
  const requested = requestedPartitions(input.Tags);
  if (requested === undefined) {
    unwrap(await queueStub(ctx, ref).tag(input.Tags));
    return;
  }
  const current = await partitionCount(ctx, ref, true);
  if (requested < current) throw cannotLower(ref.name, current, requested);
  if (!partitionable(ref.name) && requested !== current) {
    // Outside high-throughput mode a FIFO queue keeps the tag as a plain tag and stays one object.
    if (!highThroughputFifo(unwrap(await queueStub(ctx, ref).describe()).attributes)) {
      unwrap(await queueStub(ctx, ref).tag(input.Tags));
      return;
    }
    // A group keeps its partition until it is empty (durable-objects/queue/group-homes.ts).
    await raiseGroupPartitions(ctx, ref, current, requested);
    unwrap(await queueStub(ctx, ref).tag(input.Tags));
    unwrap(await queueStub(ctx, ref).setPartitionCount(requested));
    remember(ref, await registryStub(ctx, ref.accountId).setPartitions(ref.name, requested));
    return;
  }
  // New partitions are made before the tag is stored and before anything is routed to them.
  await createPartitions(ctx, ref, current, requested);
  unwrap(await queueStub(ctx, ref).tag(input.Tags));
  // Partition 0 answers the count with its replies (worker/partitions.ts); the registry lists it.
  unwrap(await queueStub(ctx, ref).setPartitionCount(requested));
  remember(ref, await registryStub(ctx, ref.accountId).setPartitions(ref.name, requested));
};

export const untagQueue: Handler<"UntagQueue"> = async (input, ctx) => {
  const ref = parseQueueUrl(input.QueueUrl, ctx);
  if (input.TagKeys.includes(PARTITION_TAG)) {
    const current = await partitionCount(ctx, ref, true);
    if (current > 1) throw cannotLower(ref.name, current, 1);
  }
  unwrap(await queueStub(ctx, ref).untag(input.TagKeys));
};

/** Fewer partitions would strand the messages of the dropped ones: refused (durable-objects/partitions.md). */
function cannotLower(name: string, current: number, requested: number) {
  return SqsErrors.invalidParameterValue(
    `Queue ${name} has ${current} partitions; ${PARTITION_TAG} cannot be lowered (to ${requested}) or removed.`,
  );
}

export const listQueueTags: Handler<"ListQueueTags"> = async (input, ctx) => {
  const tags = unwrap(await queueStub(ctx, parseQueueUrl(input.QueueUrl, ctx)).listTags());
  return Object.keys(tags).length > 0 ? { Tags: tags } : {};
};

/** Tag limits from the SQS developer guide; CreateQueue's tags obey them too. */
export function checkTags(tags: Record<string, string>): void {
  const keys = Object.keys(tags);
  if (keys.length === 0) throw SqsErrors.missingParameter("Tags");
  if (keys.length > MAX_TAGS) throw SqsErrors.invalidParameterValue(`Too many tags: at most ${MAX_TAGS} are allowed.`);
  for (const [key, value] of Object.entries(tags)) {
    if (key.length < 1 || key.length > MAX_TAG_KEY_LENGTH || !TAG_CHARACTERS.test(key) || key.toLowerCase().startsWith("aws:")) {
      throw SqsErrors.invalidParameter("Tag key", key, "Tag keys must be 1 to 128 characters of letters, digits, spaces and _ . : / = + - @, and must not start with aws:.");
    }
    if (value.length > MAX_TAG_VALUE_LENGTH || !TAG_CHARACTERS.test(value)) {
      throw SqsErrors.invalidParameter("Tag value", value, "Tag values must be 0 to 256 characters of letters, digits, spaces and _ . : / = + - @.");
    }
  }
}
