/**
 * Receipt handles on a standard queue: a new one per receive, forged and foreign ones refused,
 * and what AWS answers for a stale, expired or deleted message's handle, for DeleteMessage and
 * ChangeMessageVisibility alike.
 */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient } from "../clients.js";
import { expectSqsError, messageCounts, newQueue, sleep } from "./standard-helpers.js";

const sqs = awsClient();
const PAST_ONE_SECOND_MS = 1_400;

/** A queue holding one message, received once with the given visibility timeout. */
async function receivedMessage(prefix: string, VisibilityTimeout = 30) {
  const QueueUrl = await newQueue(sqs, prefix);
  const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: prefix }));
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout }));
  expect(Messages?.[0]?.MessageId).toBe(MessageId);
  return { QueueUrl, MessageId, ReceiptHandle: Messages![0]!.ReceiptHandle! };
}

const deleteMessage = (QueueUrl: string, ReceiptHandle: string) =>
  sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle }));
const changeVisibility = (QueueUrl: string, ReceiptHandle: string, VisibilityTimeout = 0) =>
  sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout }));

/** The same handle with one character changed (still the right length and alphabet). */
function tampered(handle: string): string {
  const i = Math.floor(handle.length / 2);
  return handle.slice(0, i) + (handle[i] === "A" ? "B" : "A") + handle.slice(i + 1);
}

describe.concurrent("receipt handles", () => {
  it("issues a new receipt handle on every receive of the same message", async () => {
    const QueueUrl = await newQueue(sqs, "new-handle");
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x" }));
    const handles = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 0 }));
      handles.add(Messages![0]!.ReceiptHandle!);
    }
    expect(handles.size).toBe(3);
  });

  it("refuses malformed and forged handles with ReceiptHandleIsInvalid, for delete and visibility change", async () => {
    const { QueueUrl, ReceiptHandle } = await receivedMessage("forged");
    for (const handle of ["garbage", tampered(ReceiptHandle), ReceiptHandle.slice(0, -2), `${ReceiptHandle}AA`]) {
      const deleted = await expectSqsError(deleteMessage(QueueUrl, handle), "ReceiptHandleIsInvalid");
      expect(deleted.message).toBe(`The input receipt handle "${handle}" is not a valid receipt handle.`);
      const changed = await expectSqsError(changeVisibility(QueueUrl, handle), "ReceiptHandleIsInvalid");
      expect(changed.message).toBe(`The input receipt handle "${handle}" is not a valid receipt handle.`);
    }
    // None of them touched the message: it is still in flight.
    expect(await messageCounts(sqs, QueueUrl)).toMatchObject({ visible: 0, notVisible: 1 });
  });

  it("refuses a handle issued by another queue with ReceiptHandleIsInvalid", async () => {
    const theirs = await receivedMessage("theirs");
    const ours = await receivedMessage("ours");
    await expectSqsError(deleteMessage(ours.QueueUrl, theirs.ReceiptHandle), "ReceiptHandleIsInvalid");
    await expectSqsError(changeVisibility(ours.QueueUrl, theirs.ReceiptHandle), "ReceiptHandleIsInvalid");
    expect(await messageCounts(sqs, theirs.QueueUrl)).toMatchObject({ notVisible: 1 });
    expect(await messageCounts(sqs, ours.QueueUrl)).toMatchObject({ notVisible: 1 });
  });

  it("deletes with the handle of a message in flight", async () => {
    const { QueueUrl, ReceiptHandle } = await receivedMessage("in-flight-delete");
    await deleteMessage(QueueUrl, ReceiptHandle);
    expect(await messageCounts(sqs, QueueUrl)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
  });

  it("changes visibility with the handle of a message in flight", async () => {
    const { QueueUrl, ReceiptHandle } = await receivedMessage("in-flight-change");
    await changeVisibility(QueueUrl, ReceiptHandle, 0);
    expect(await messageCounts(sqs, QueueUrl)).toMatchObject({ visible: 1, notVisible: 0 });
  });

  it("deletes with a handle whose visibility timeout expired before anyone received the message again", async () => {
    const { QueueUrl, ReceiptHandle } = await receivedMessage("expired-delete", 1);
    await sleep(PAST_ONE_SECOND_MS);
    await deleteMessage(QueueUrl, ReceiptHandle);
    expect(await messageCounts(sqs, QueueUrl)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
  });

  it("changes visibility with a handle whose timeout expired before anyone received the message again", async () => {
    const { QueueUrl, ReceiptHandle } = await receivedMessage("expired-change", 1);
    await sleep(PAST_ONE_SECOND_MS);
    expect(await messageCounts(sqs, QueueUrl)).toMatchObject({ visible: 1, notVisible: 0 });
    await changeVisibility(QueueUrl, ReceiptHandle, 60);
    expect(await messageCounts(sqs, QueueUrl)).toMatchObject({ visible: 0, notVisible: 1 });
  });

  it("accepts DeleteMessage again and again for a message already deleted", async () => {
    const { QueueUrl, ReceiptHandle } = await receivedMessage("deleted-delete");
    await deleteMessage(QueueUrl, ReceiptHandle);
    await deleteMessage(QueueUrl, ReceiptHandle);
    await deleteMessage(QueueUrl, ReceiptHandle);
  });

  it("refuses ChangeMessageVisibility for a message already deleted with InvalidParameterValue", async () => {
    const { QueueUrl, ReceiptHandle } = await receivedMessage("deleted-change");
    await deleteMessage(QueueUrl, ReceiptHandle);
    const error = await expectSqsError(changeVisibility(QueueUrl, ReceiptHandle, 10), "InvalidParameterValue");
    expect(error.message).toBe(
      `Value ${ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
    );
  });

  it("accepts DeleteMessage with an older handle after the message was received again", async () => {
    // AWS: "If you use an old ReceiptHandle, the request will succeed, but the message might not be deleted."
    const { QueueUrl, ReceiptHandle: old } = await receivedMessage("stale-delete", 0);
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 30 }));
    expect(Messages?.[0]?.ReceiptHandle).not.toBe(old);
    await deleteMessage(QueueUrl, old);
  });

  it("changes visibility with an earlier handle after the message was received again", async () => {
    // Recorded against AWS: a standard queue takes an earlier handle of a message received again.
    const { QueueUrl, ReceiptHandle: first } = await receivedMessage("stale-change", 0);
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 30 }));
    expect(Messages?.[0]?.ReceiptHandle).not.toBe(first);
    await changeVisibility(QueueUrl, first, 0);
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(again.Messages?.map((m) => m.Body)).toEqual(["stale-change"]);
  });
});
