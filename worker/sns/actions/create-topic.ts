import type { StringMap } from "../../../sdk/protocol/index.js";
import { registryStub } from "../../queue-url.js";
import { isTopicName } from "../arns.js";
import { SnsErrors } from "../errors.js";
import type { SnsHandler } from "../handler.js";
import { topicStub, unwrap } from "../topic-stub.js";
import { readTags } from "./tags.js";

const FIFO_NAME_RULE =
  "Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.";

/** CreateTopic: idempotent for equal attributes; the topic object checks, the registry indexes after. */
export const createTopic: SnsHandler = async (params, ctx) => {
  const name = params.required("Name");
  const attributes: StringMap = params.entryMap("Attributes");
  const fifo = attributes.FifoTopic === "true";
  if (fifo ? !isTopicName(name, true) : name.endsWith(".fifo") || !isTopicName(name, false)) {
    throw fifo ? SnsErrors.invalidParameterMessage(FIFO_NAME_RULE) : SnsErrors.invalidParameter("Topic Name");
  }
  const tags = readTags(params);
  const dataProtectionPolicy = params.string("DataProtectionPolicy");
  const ref = { region: ctx.region, accountId: ctx.accountId, name };
  // The ARN names the region the topic was first made in.
  const arn = unwrap(await topicStub(ctx, ref).create({ ...ref, attributes, tags, dataProtectionPolicy }));
  await registryStub(ctx, ctx.accountId).registerTopic(name, arn);
  return { TopicArn: arn };
};
