import { parseTopicArn } from "../arns.js";
import { SnsErrors } from "../errors.js";
import type { SnsHandler } from "../handler.js";
import { unwrap, usableTopic } from "../topic-stub.js";

const LABEL = /^[A-Za-z0-9_-]{1,80}$/;
const ACCOUNT = /^\d{12}$/;

/** AddPermission: a Policy statement, named by Label, letting accounts do SNS actions on the topic. */
export const addPermission: SnsHandler = async (params, ctx) => {
  const ref = parseTopicArn(params.required("TopicArn"));
  const label = params.required("Label");
  if (!LABEL.test(label)) throw SnsErrors.invalidParameter("Label");
  const accounts = params.list("AWSAccountId");
  const actions = params.list("ActionName");
  if (accounts.length === 0 || accounts.some((a) => !ACCOUNT.test(a))) throw SnsErrors.invalidParameter("AWSAccountId");
  if (actions.length === 0 || actions.some((a) => !/^[A-Za-z*]+$/.test(a))) throw SnsErrors.invalidParameter("ActionName");
  unwrap(await (await usableTopic(ctx, ref, "AddPermission")).addPermission(label, accounts, actions));
  return undefined;
};

export const removePermission: SnsHandler = async (params, ctx) => {
  const ref = parseTopicArn(params.required("TopicArn"));
  const label = params.required("Label");
  unwrap(await (await usableTopic(ctx, ref, "RemovePermission")).removePermission(label));
  return undefined;
};
