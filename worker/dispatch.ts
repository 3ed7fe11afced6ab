/** Action name -> handler. Every protocol ends here with the same canonical request. */
import { SqsErrors, type ActionName, type Results, type SqsRequest } from "../sdk/protocol/index.js";
import { changeMessageVisibility, changeMessageVisibilityBatch } from "./actions/change-message-visibility.js";
import { createQueue } from "./actions/create-queue.js";
import { deleteMessage, deleteMessageBatch } from "./actions/delete-message.js";
import { deleteQueue } from "./actions/delete-queue.js";
import { getQueueAttributes } from "./actions/get-queue-attributes.js";
import { getQueueUrl } from "./actions/get-queue-url.js";
import type { Handler } from "./actions/handler.js";
import { listDeadLetterSourceQueues } from "./actions/list-dead-letter-source-queues.js";
import { listQueues } from "./actions/list-queues.js";
import { cancelMessageMoveTask, listMessageMoveTasks, startMessageMoveTask } from "./actions/message-move-tasks.js";
import { addPermission, removePermission } from "./actions/permissions.js";
import { purgeQueue } from "./actions/purge-queue.js";
import { receiveMessage } from "./actions/receive-message.js";
import { sendMessage } from "./actions/send-message.js";
import { sendMessageBatch } from "./actions/send-message-batch.js";
import { setQueueAttributes } from "./actions/set-queue-attributes.js";
import { listQueueTags, tagQueue, untagQueue } from "./actions/tags.js";
import { authorizeRequest } from "./auth/queue-access.js";
import type { RequestContext } from "./context.js";

const HANDLERS: { [A in ActionName]: Handler<A> } = {
  CreateQueue: createQueue,
  GetQueueUrl: getQueueUrl,
  ListQueues: listQueues,
  DeleteQueue: deleteQueue,
  GetQueueAttributes: getQueueAttributes,
  SetQueueAttributes: setQueueAttributes,
  PurgeQueue: purgeQueue,
  TagQueue: tagQueue,
  UntagQueue: untagQueue,
  ListQueueTags: listQueueTags,
  SendMessage: sendMessage,
  SendMessageBatch: sendMessageBatch,
  ReceiveMessage: receiveMessage,
  DeleteMessage: deleteMessage,
  DeleteMessageBatch: deleteMessageBatch,
  ChangeMessageVisibility: changeMessageVisibility,
  ChangeMessageVisibilityBatch: changeMessageVisibilityBatch,
  ListDeadLetterSourceQueues: listDeadLetterSourceQueues,
  StartMessageMoveTask: startMessageMoveTask,
  CancelMessageMoveTask: cancelMessageMoveTask,
  ListMessageMoveTasks: listMessageMoveTasks,
  AddPermission: addPermission,
  RemovePermission: removePermission,
};

export async function dispatch(request: SqsRequest, ctx: RequestContext): Promise<Results[ActionName]> {
  const handler = HANDLERS[request.action] as Handler<ActionName> | undefined;
  if (!handler) throw SqsErrors.invalidAction(request.action);
  // Before the handler, so no action reaches another account's queue unchecked.
  await authorizeRequest(request, ctx);
  return handler(request.input as never, ctx);
}
