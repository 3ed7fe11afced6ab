import { registryStub } from "../../queue-url.js";
import type { SnsHandler } from "../handler.js";
import { decodeNextToken, encodeNextToken, PAGE_SIZE } from "../paging.js";

/** ListTopics: the account's topics in name order, 100 a page. */
export const listTopics: SnsHandler = async (params, ctx) => {
  const after = decodeNextToken(params.string("NextToken"));
  const page = await registryStub(ctx, ctx.accountId).listTopics(PAGE_SIZE, after);
  return { Topics: page.items.map((arn) => ({ TopicArn: arn })), NextToken: encodeNextToken(page.after) };
};
