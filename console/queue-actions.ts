/** What each form on the queue page does, through the API's actions; a refusal throws its SqsError. */
import { SqsErrors, type StringMap } from "../sdk/protocol/index.js";
import type { Call } from "./call.js";
import { EDITABLE_ATTRIBUTES } from "./editable-attributes.js";
import { integer, listOf, sendMessageInput, type Form } from "./forms.js";

export interface ActionOutcome {
  /** A key of the console's fixed notices (app.tsx). */
  notice: string;
  id?: string;
  /** The queue no longer exists: go back to the list. */
  gone?: boolean;
}

type QueueAction = (call: Call, queue: string, form: Form) => Promise<ActionOutcome>;

/** Typed confirmation for what cannot be undone. */
function confirmName(queue: string, form: Form): void {
  if ((form.confirm ?? "").trim() !== queue) {
    throw SqsErrors.invalidParameterValue(`Type the queue's name, ${queue}, to confirm.`);
  }
}

async function arnOf(call: Call, queue: string): Promise<string> {
  const { Attributes } = await call("GetQueueAttributes", { QueueUrl: queue, AttributeNames: ["QueueArn"] });
  return Attributes?.QueueArn ?? "";
}

export const queueActions: Record<string, QueueAction | undefined> = {
  async send(call, queue, form) {
    const { MessageId } = await call("SendMessage", sendMessageInput(queue, form));
    return { notice: "sent", id: MessageId };
  },

  async "delete-message"(call, queue, form) {
    await call("DeleteMessage", { QueueUrl: queue, ReceiptHandle: (form.receiptHandle ?? "").trim() });
    return { notice: "message-deleted" };
  },

  async purge(call, queue, form) {
    confirmName(queue, form);
    await call("PurgeQueue", { QueueUrl: queue });
    return { notice: "purged" };
  },

  async delete(call, queue, form) {
    confirmName(queue, form);
    await call("DeleteQueue", { QueueUrl: queue });
    return { notice: "deleted", gone: true };
  },

  /** Only what the form changed is sent, so SetQueueAttributes validates exactly the edit. */
  async attributes(call, queue, form) {
    const { Attributes: current = {} } = await call("GetQueueAttributes", { QueueUrl: queue, AttributeNames: ["All"] });
    const changed: StringMap = {};
    for (const { name } of EDITABLE_ATTRIBUTES) {
      const value = form[name];
      if (value === undefined) continue;
      const trimmed = value.trim();
      if (trimmed !== (current[name] ?? "")) changed[name] = trimmed;
    }
    if (Object.keys(changed).length === 0) return { notice: "unchanged" };
    await call("SetQueueAttributes", { QueueUrl: queue, Attributes: changed });
    return { notice: "attributes" };
  },

  async tag(call, queue, form) {
    await call("TagQueue", { QueueUrl: queue, Tags: { [form.key ?? ""]: form.value ?? "" } });
    return { notice: "tagged" };
  },

  async untag(call, queue, form) {
    await call("UntagQueue", { QueueUrl: queue, TagKeys: [form.key ?? ""] });
    return { notice: "untagged" };
  },

  async "add-permission"(call, queue, form) {
    await call("AddPermission", {
      QueueUrl: queue,
      Label: (form.label ?? "").trim(),
      AWSAccountIds: listOf(form.accounts),
      Actions: listOf(form.actions),
    });
    return { notice: "permission-added" };
  },

  async "remove-permission"(call, queue, form) {
    await call("RemovePermission", { QueueUrl: queue, Label: form.label ?? "" });
    return { notice: "permission-removed" };
  },

  async redrive(call, queue, form) {
    const destination = form.destination?.trim();
    const rate = form.rate?.trim();
    await call("StartMessageMoveTask", {
      SourceArn: await arnOf(call, queue),
      ...(destination ? { DestinationArn: await arnOf(call, destination) } : {}),
      ...(rate ? { MaxNumberOfMessagesPerSecond: integer("MaxNumberOfMessagesPerSecond", rate) } : {}),
    });
    return { notice: "redrive" };
  },

  async "cancel-redrive"(call, _queue, form) {
    await call("CancelMessageMoveTask", { TaskHandle: form.taskHandle ?? "" });
    return { notice: "redrive-cancelled" };
  },
};
