/** A received message as the client asked to see it: the selected system and message attributes. */
import { md5OfMessageAttributes, type Message, type MessageAttributeMap, type StringMap } from "../sdk/protocol/index.js";
import type { ReceivedMessage } from "../durable-objects/queue/types.js";
import { loadAttributes } from "./message-input.js";

export interface Selection {
  /** System attribute names asked for (`All` or names). */
  system: string[];
  /** Message attribute names asked for (`All`, `.*`, `*`, names, or `prefix.*`). */
  message: string[];
}

export function toMessage(received: ReceivedMessage, selection: Selection): Message {
  const message: Message = {
    MessageId: received.messageId,
    ReceiptHandle: received.receiptHandle,
    MD5OfBody: received.md5Body,
    Body: received.body,
  };
  const attributes = systemAttributes(received, selection.system);
  if (attributes) message.Attributes = attributes;
  if (received.attributes && selection.message.length > 0) {
    const all = loadAttributes(received.attributes);
    const chosen = selectMessageAttributes(all, selection.message);
    if (chosen) {
      message.MessageAttributes = chosen;
      message.MD5OfMessageAttributes =
        Object.keys(chosen).length === Object.keys(all).length && received.md5Attributes
          ? received.md5Attributes
          : md5OfMessageAttributes(chosen);
    }
  }
  return message;
}

function systemAttributes(received: ReceivedMessage, names: string[]): StringMap | undefined {
  if (names.length === 0) return undefined;
  const all = names.includes("All");
  const out: StringMap = {};
  const put = (name: string, value: string | number | undefined) => {
    if (value !== undefined && (all || names.includes(name))) out[name] = String(value);
  };
  put("SenderId", received.senderId);
  put("SentTimestamp", received.sentAt);
  put("ApproximateReceiveCount", received.receiveCount);
  put("ApproximateFirstReceiveTimestamp", received.firstReceiveAt);
  put("SequenceNumber", received.sequenceNumber);
  put("MessageDeduplicationId", received.dedupId);
  put("MessageGroupId", received.groupId);
  put("DeadLetterQueueSourceArn", received.deadLetterSourceArn);
  if (received.systemAttributes) {
    put("AWSTraceHeader", loadAttributes(received.systemAttributes).AWSTraceHeader?.StringValue);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * `All`, `.*` and `*` mean every attribute; `X.*` every attribute whose name starts with `X`,
 * a plain string prefix without the dot (AWS returns Hello and Help.Me for `Hel.*`).
 */
function selectMessageAttributes(all: MessageAttributeMap, names: string[]): MessageAttributeMap | undefined {
  const everything = names.some((n) => n === "All" || n === ".*" || n === "*");
  const prefixes = names.filter((n) => n.endsWith(".*")).map((n) => n.slice(0, -2));
  const out: MessageAttributeMap = {};
  for (const [name, value] of Object.entries(all)) {
    if (everything || names.includes(name) || prefixes.some((p) => name.startsWith(p))) out[name] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
