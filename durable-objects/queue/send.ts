/** SendMessage and SendMessageBatch inside the queue object: the rules that need the queue's configuration, then storing. */
import { fail, ok, SqsErrors, type Outcome } from "../../sdk/protocol/index.js";
import type { QueueContext } from "./context.js";
import { dedupKey, effectiveScope, findFifoDuplicate, recordDedup } from "./dedup.js";
import type { MessageStores } from "./message-state.js";
import { sequenceNumberOf } from "./sequence-number.js";
import type { NewMessage, QueueConfig, SentMessage } from "./types.js";

/** A message on its way into storage; `contentDedupId` is the body's SHA-256 when the queue dedups by content. */
export interface IncomingMessage extends NewMessage {
  contentDedupId?: string;
}

/**
 * Stores the messages that pass the queue's rules and answers each; acknowledged only once
 * stored (the commit is shared with whatever else arrived meanwhile).
 */
export async function sendMessages(
  ctx: QueueContext,
  config: QueueConfig,
  messages: NewMessage[],
  batch: boolean,
): Promise<Outcome<SentMessage>[]> {
  checkFifoRequest(config, messages, batch);
  const incoming = await withContentDedupIds(config, messages);
  const now = ctx.clock.now();
  const results = ctx.transactionSync(() => {
    const stored = storeMessages(ctx.stores, config, now, incoming, batch, () => ctx.nextSeq(now));
    // A FIFO send writes its deduplication records now, so its messages go in the same
    // transaction: a record must never outlive a message lost in a crash, or a retried send
    // would be answered with the original's MessageId while nothing was stored.
    if (config.fifo) ctx.stores.segments.flush();
    return stored;
  });
  await ctx.stores.segments.commit();
  return results;
}

/** ContentBasedDeduplication: a FIFO message without a deduplication id gets the SHA-256 of its body. */
export function withContentDedupIds(config: QueueConfig, messages: NewMessage[]): Promise<IncomingMessage[]> {
  return Promise.all(
    messages.map(async (m) => (config.fifo && m.dedupId === undefined ? { ...m, contentDedupId: await sha256Hex(m.body) } : m)),
  );
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * FIFO rules that fail a whole request: every message needs a group, and a deduplication id
 * unless the queue deduplicates by content. In a batch AWS refuses the entire request.
 */
export function checkFifoRequest(config: QueueConfig, messages: NewMessage[], batch: boolean): void {
  if (!config.fifo) return;
  if (messages.some((m) => m.groupId === undefined)) {
    throw batch
      ? SqsErrors.invalidParameterValue("The request must contain the parameter MessageGroupId.")
      : SqsErrors.missingParameter("MessageGroupId");
  }
  if (config.attributes.ContentBasedDeduplication !== "true" && messages.some((m) => m.dedupId === undefined)) {
    throw SqsErrors.invalidParameterValue(
      "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
    );
  }
}

/**
 * Inserts each acceptable message; the caller runs this inside one transaction so a batch is
 * all-or-nothing on storage while entries that break a rule fail on their own.
 * `nextSeq` hands out strictly increasing sequence numbers (also the FIFO SequenceNumber).
 */
export function storeMessages(
  stores: MessageStores,
  config: QueueConfig,
  now: number,
  messages: IncomingMessage[],
  batch: boolean,
  nextSeq: () => number,
): Outcome<SentMessage>[] {
  const { sql } = stores;
  const maxSize = Number(config.attributes.MaximumMessageSize);
  const queueDelay = Number(config.attributes.DelaySeconds);
  return messages.map((message) => {
    if (message.size > maxSize) {
      // SendMessageBatch words this differently from SendMessage (AWS snapshot test_send_batch_message_size).
      const lead = batch ? "One or more parameters cannot be validated." : "One or more parameters are invalid.";
      return fail(SqsErrors.invalidParameterValue(`${lead} Reason: Message must be shorter than ${maxSize} bytes.`));
    }
    const md5s = {
      md5Body: message.md5Body,
      md5Attributes: message.md5Attributes,
      md5SystemAttributes: message.md5SystemAttributes,
    };
    if (!config.fifo && message.dedupId !== undefined) {
      return fail(
        SqsErrors.invalidParameter(
          "MessageDeduplicationId",
          message.dedupId,
          "The request includes a parameter that is not valid for this queue type.",
        ),
      );
    }
    // FIFO queues don't support per-message delays; an explicit 0 is accepted.
    if (config.fifo && message.delaySeconds) {
      return fail(
        SqsErrors.invalidParameter(
          "DelaySeconds",
          message.delaySeconds,
          "The request include parameter that is not valid for this queue type.",
        ),
      );
    }
    // A retry of a send already stored (the caller's id) gets the first send's answer.
    const earlier = message.sendId === undefined ? undefined : stores.sendIds?.find(message.sendId, now);
    const earlierId = earlier && (earlier.messageId ?? stores.segments.messageIdOf(earlier.seq));
    if (earlier && earlierId !== undefined) {
      return ok({ ...md5s, messageId: earlierId, sequenceNumber: config.fifo ? sequenceNumberOf(earlier.seq) : undefined });
    }
    const dedupId = config.fifo ? (message.dedupId ?? message.contentDedupId) : undefined;
    const key = dedupId === undefined ? undefined : dedupKey(effectiveScope(config), message.groupId!, dedupId);
    if (dedupId !== undefined) {
      const original = findFifoDuplicate(sql, message.groupId!, dedupId, now);
      if (original) return ok({ ...md5s, messageId: original.messageId, sequenceNumber: original.sequenceNumber });
    }
    const seq = nextSeq();
    const messageId = crypto.randomUUID();
    const sequenceNumber = config.fifo ? sequenceNumberOf(seq) : undefined;
    const visibleAt = now + (config.fifo ? queueDelay : (message.delaySeconds ?? queueDelay)) * 1000;
    const row = {
      seq,
      message_id: messageId,
      body: message.body,
      attributes: message.attributes ?? null,
      system_attributes: message.systemAttributes ?? null,
      md5_body: message.md5Body,
      md5_attributes: message.md5Attributes ?? null,
      md5_system_attributes: message.md5SystemAttributes ?? null,
      sender_id: message.senderId,
      sent_at: now,
      enqueued_at: now,
      visible_at: visibleAt,
      receive_count: 0,
      first_receive_at: null,
      last_receive_at: null,
      receipt_gen: 0,
      group_id: message.groupId ?? null,
      dedup_id: dedupId ?? null,
      sequence_number: sequenceNumber ?? null,
      dead_letter_source_arn: null,
      send_id: message.sendId ?? null,
    };
    stores.segments.insert([row]);
    if (message.sendId !== undefined) stores.sendIds?.remember(message.sendId, seq, now, messageId);
    if (key !== undefined) recordDedup(sql, key, { messageId, sequenceNumber }, now);
    return ok({ ...md5s, messageId, sequenceNumber });
  });
}
