/** AddPermission and RemovePermission: the statements go into the queue's Policy attribute. */
import { PERMISSION_LABEL_PATTERN, SqsErrors } from "../../sdk/protocol/index.js";
import { parseQueueUrl, queueStub } from "../queue-url.js";
import { unwrap, type Handler } from "./handler.js";

/** Actions a queue policy statement may name, as AWS documents for AddPermission. */
const PERMITTED_ACTIONS = new Set([
  "*",
  "SendMessage",
  "ReceiveMessage",
  "DeleteMessage",
  "ChangeMessageVisibility",
  "GetQueueAttributes",
  "GetQueueUrl",
  "ListDeadLetterSourceQueues",
  "PurgeQueue",
]);
const ACCOUNT_ID = /^\d{12}$/;
const MAX_ACTIONS = 7;

export const addPermission: Handler<"AddPermission"> = async (input, ctx) => {
  const ref = parseQueueUrl(input.QueueUrl, ctx);
  checkLabel(input.Label);
  if (input.AWSAccountIds.length === 0) throw SqsErrors.missingParameter("AWSAccountId");
  if (input.Actions.length === 0) throw SqsErrors.missingParameter("ActionName");
  for (const id of input.AWSAccountIds) {
    if (!ACCOUNT_ID.test(id)) throw SqsErrors.invalidParameter("AWSAccountId", id, "Must be a 12-digit AWS account id.");
  }
  for (const action of input.Actions) {
    if (!PERMITTED_ACTIONS.has(action)) {
      throw SqsErrors.invalidParameter(
        "ActionName",
        `SQS:${action}`,
        "Please refer to the appropriate WSDL for a list of valid actions. ",
      );
    }
  }
  if (input.Actions.length > MAX_ACTIONS) {
    throw SqsErrors.overLimit(`${input.Actions.length} Actions were found, maximum allowed is ${MAX_ACTIONS}.`);
  }
  unwrap(await queueStub(ctx, ref).addPermission(input.Label, input.AWSAccountIds, input.Actions));
};

export const removePermission: Handler<"RemovePermission"> = async (input, ctx) => {
  unwrap(await queueStub(ctx, parseQueueUrl(input.QueueUrl, ctx)).removePermission(input.Label));
};

function checkLabel(label: string): void {
  if (!PERMISSION_LABEL_PATTERN.test(label)) {
    throw SqsErrors.invalidParameter(
      "Label",
      label,
      "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length.",
    );
  }
}
