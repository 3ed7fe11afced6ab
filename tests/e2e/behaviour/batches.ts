/** The three batch actions as every client sees them, partial failures included. */
import { expect, it } from "vitest";
import type { SqsAdapter } from "./adapter.js";
import { expectedAttributesMd5, expectedBodyMd5 } from "./expected-md5.js";
import { EVERY_TYPE, TRICKY_BODY } from "./messages.js";
import { expectError, newQueue, receive } from "./steps.js";

const byId = <T extends { Id: string }>(entries: T[] | undefined) =>
  [...(entries ?? [])].sort((a, b) => a.Id.localeCompare(b.Id));

export function batchBehaviour(client: () => SqsAdapter): void {
  it("sends a batch in which some entries fail", async () => {
    const sqs = client();
    const { url } = await newQueue(sqs, "send-batch", { MaximumMessageSize: "1024" });
    const result = await sqs.call("SendMessageBatch", {
      QueueUrl: url,
      Entries: [
        { Id: "fits", MessageBody: "x".repeat(1024) },
        { Id: "too-long", MessageBody: "x".repeat(1025) },
        { Id: "bad-chars", MessageBody: "nope \uFFFF" },
        { Id: "tricky", MessageBody: TRICKY_BODY, MessageAttributes: EVERY_TYPE },
      ],
    });
    expect(byId(result.Successful).map((e) => e.Id)).toEqual(["fits", "tricky"]);
    const [fits, tricky] = byId(result.Successful);
    expect(fits!.MD5OfMessageBody).toBe(expectedBodyMd5("x".repeat(1024)));
    expect(fits!.MD5OfMessageAttributes).toBeUndefined();
    expect(tricky!.MD5OfMessageBody).toBe(expectedBodyMd5(TRICKY_BODY));
    expect(tricky!.MD5OfMessageAttributes).toBe(expectedAttributesMd5(EVERY_TYPE));
    expect(byId(result.Failed)).toEqual([
      { Id: "bad-chars", SenderFault: true, Code: "InvalidMessageContents", Message: expect.stringContaining("Invalid characters") },
      { Id: "too-long", SenderFault: true, Code: "InvalidParameterValue", Message: expect.stringContaining("1024 bytes") },
    ]);

    const bodies = (await receive(sqs, url)).map((m) => m.Body).sort();
    expect(bodies).toEqual([TRICKY_BODY, "x".repeat(1024)].sort());
  });

  it("deletes a batch in which an entry has an invalid receipt handle", async () => {
    const sqs = client();
    const { url } = await newQueue(sqs, "delete-batch");
    await sqs.call("SendMessageBatch", {
      QueueUrl: url,
      Entries: [
        { Id: "1", MessageBody: "one" },
        { Id: "2", MessageBody: "two" },
      ],
    });
    const messages = await receive(sqs, url, { VisibilityTimeout: 30 });
    expect(messages).toHaveLength(2);
    const result = await sqs.call("DeleteMessageBatch", {
      QueueUrl: url,
      Entries: [
        { Id: "a", ReceiptHandle: messages[0]!.ReceiptHandle },
        { Id: "b", ReceiptHandle: messages[1]!.ReceiptHandle },
        { Id: "c", ReceiptHandle: "garbage" },
      ],
    });
    expect(byId(result.Successful)).toEqual([{ Id: "a" }, { Id: "b" }]);
    expect(result.Failed).toEqual([
      {
        Id: "c",
        SenderFault: true,
        Code: "ReceiptHandleIsInvalid",
        Message: 'The input receipt handle "garbage" is not a valid receipt handle.',
      },
    ]);
    const { Attributes } = await sqs.call("GetQueueAttributes", {
      QueueUrl: url,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    });
    expect(Attributes).toEqual({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" });
  });

  it("changes visibility in a batch in which an entry has an invalid receipt handle", async () => {
    const sqs = client();
    const { url } = await newQueue(sqs, "visibility-batch");
    await sqs.call("SendMessage", { QueueUrl: url, MessageBody: "m" });
    const [message] = await receive(sqs, url, { VisibilityTimeout: 60 });
    const result = await sqs.call("ChangeMessageVisibilityBatch", {
      QueueUrl: url,
      Entries: [
        { Id: "ok", ReceiptHandle: message!.ReceiptHandle, VisibilityTimeout: 0 },
        { Id: "bad", ReceiptHandle: "garbage", VisibilityTimeout: 0 },
      ],
    });
    expect(result.Successful).toEqual([{ Id: "ok" }]);
    expect(result.Failed).toEqual([
      { Id: "bad", SenderFault: true, Code: "ReceiptHandleIsInvalid", Message: expect.any(String) },
    ]);
    const again = await receive(sqs, url, { AttributeNames: ["ApproximateReceiveCount"] });
    expect(again.map((m) => m.Attributes)).toEqual([{ ApproximateReceiveCount: "2" }]);
  });

  it("rejects empty and oversized batches as a whole", async () => {
    const sqs = client();
    const { url } = await newQueue(sqs, "bad-batch");
    await expectError(
      sqs.call("SendMessageBatch", { QueueUrl: url, Entries: [] }),
      "AWS.SimpleQueueService.EmptyBatchRequest",
    );
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Id: `m${i}`, MessageBody: "x" }));
    const error = await expectError(
      sqs.call("SendMessageBatch", { QueueUrl: url, Entries: eleven }),
      "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
    );
    expect(error.message).toBe("Maximum number of entries per request are 10. You have sent 11.");
    await expectError(
      sqs.call("DeleteMessageBatch", { QueueUrl: url, Entries: [{ Id: "a b", ReceiptHandle: "x" }] }),
      "AWS.SimpleQueueService.InvalidBatchEntryId",
    );
  });
}
