/** Console forms -> the API's canonical inputs. Values are passed on as typed: the actions validate them. */
import { SqsErrors, type CreateQueueRequest, type MessageAttributeMap, type SendMessageRequest, type StringMap } from "../sdk/protocol/index.js";
import type { Call } from "./call.js";

export type Form = Record<string, string>;

const CREATE_ATTRIBUTES = ["VisibilityTimeout", "DelaySeconds", "MessageRetentionPeriod", "ReceiveMessageWaitTimeSeconds"];

export async function createQueueInput(call: Call, form: Form): Promise<CreateQueueRequest & { QueueName: string }> {
  const fifo = form.type === "fifo";
  let name = (form.name ?? "").trim();
  if (fifo && !name.endsWith(".fifo")) name += ".fifo";
  const attributes: StringMap = {};
  for (const attribute of CREATE_ATTRIBUTES) {
    const value = form[attribute]?.trim();
    if (value) attributes[attribute] = value;
  }
  if (fifo) {
    attributes.FifoQueue = "true";
    if (form.ContentBasedDeduplication === "true") attributes.ContentBasedDeduplication = "true";
  }
  const deadLetterQueue = form.deadLetterQueue?.trim();
  if (deadLetterQueue) {
    const { Attributes } = await call("GetQueueAttributes", { QueueUrl: deadLetterQueue, AttributeNames: ["QueueArn"] });
    attributes.RedrivePolicy = JSON.stringify({
      deadLetterTargetArn: Attributes?.QueueArn,
      maxReceiveCount: Number(form.maxReceiveCount?.trim() || "5"),
    });
  }
  // The partition tag, as an SQS client would send it: CreateQueue checks the value.
  const partitions = form.partitions?.trim();
  return {
    QueueName: name,
    ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
    ...(partitions ? { tags: { "sluice:partitions": partitions } } : {}),
  };
}

export function sendMessageInput(queue: string, form: Form): SendMessageRequest {
  const input: SendMessageRequest = { QueueUrl: queue, MessageBody: form.body ?? "" };
  const delay = form.delay?.trim();
  if (delay) input.DelaySeconds = integer("DelaySeconds", delay);
  if (form.groupId?.trim()) input.MessageGroupId = form.groupId.trim();
  if (form.dedupId?.trim()) input.MessageDeduplicationId = form.dedupId.trim();
  const attributes: MessageAttributeMap = {};
  for (let n = 1; n <= 3; n++) {
    const name = form[`attrName${n}`]?.trim();
    if (!name) continue;
    attributes[name] = { DataType: form[`attrType${n}`] === "Number" ? "Number" : "String", StringValue: form[`attrValue${n}`] ?? "" };
  }
  if (Object.keys(attributes).length > 0) input.MessageAttributes = attributes;
  return input;
}

export function integer(parameter: string, text: string): number {
  if (!/^-?\d{1,10}$/.test(text)) throw SqsErrors.invalidParameter(parameter, text, "Must be a whole number.");
  return Number(text);
}

/** A comma- or space-separated list, without empty entries. */
export function listOf(text: string | undefined): string[] {
  return (text ?? "").split(/[\s,]+/).filter((item) => item !== "");
}
