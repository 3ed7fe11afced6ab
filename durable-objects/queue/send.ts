/** Storing new messages: the per-message rules that need the queue's configuration. */
import { fail, ok, SqsErrors, type Outcome } from "../../sdk/protocol/index.js";
import type { Sql } from "./sql.js";
import type { NewMessage, QueueConfig, SentMessage } from "./types.js";

/**
 * Inserts each acceptable message; the caller runs this inside one transaction so a batch is
 * all-or-nothing on storage while entries that break a rule fail on their own.
 */
export function storeMessages(
  sql: Sql,
  config: QueueConfig,
  now: number,
  messages: NewMessage[],
  batch: boolean,
): Outcome<SentMessage>[] {
  const maxSize = Number(config.attributes.MaximumMessageSize);
  const queueDelay = Number(config.attributes.DelaySeconds);
  return messages.map((message) => {
    if (message.size > maxSize) {
      // SendMessageBatch words this differently from SendMessage (AWS snapshot test_send_batch_message_size).
      const lead = batch ? "One or more parameters cannot be validated." : "One or more parameters are invalid.";
      return fail(SqsErrors.invalidParameterValue(`${lead} Reason: Message must be shorter than ${maxSize} bytes.`));
    }
    const messageId = crypto.randomUUID();
    const delay = message.delaySeconds ?? queueDelay;
    sql.run(
      `INSERT INTO messages (message_id, body, attributes, system_attributes, md5_body, md5_attributes,
         md5_system_attributes, sender_id, sent_at, enqueued_at, visible_at, group_id, dedup_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      messageId,
      message.body,
      message.attributes ?? null,
      message.systemAttributes ?? null,
      message.md5Body,
      message.md5Attributes ?? null,
      message.md5SystemAttributes ?? null,
      message.senderId,
      now,
      now,
      now + delay * 1000,
      message.groupId ?? null,
      message.dedupId ?? null,
    );
    return ok({
      messageId,
      md5Body: message.md5Body,
      md5Attributes: message.md5Attributes,
      md5SystemAttributes: message.md5SystemAttributes,
    });
  });
}
