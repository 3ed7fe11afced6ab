/**
 * The request-level rules all three batch actions share: 1 to 10 entries,
 * ids of letters, digits, hyphens and underscores up to 80 long, distinct ids, in that order.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  SendMessageBatchCommand,
} from "@aws-sdk/client-sqs";
import { beforeAll, describe, expect, it } from "vitest";
import { awsClient } from "../clients.js";
import { expectSqsError, messageCounts, newQueue } from "./standard-helpers.js";

const sqs = awsClient();
let QueueUrl: string;

beforeAll(async () => {
  QueueUrl = await newQueue(sqs, "batch-rules");
});

/** One batch action, called with entries built from ids. */
type BatchCall = (ids: string[]) => Promise<unknown>;

const ACTIONS: [string, string, BatchCall][] = [
  [
    "SendMessageBatch",
    "SendMessageBatchRequestEntry",
    (ids) => sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: ids.map((Id) => ({ Id, MessageBody: "b" })) })),
  ],
  [
    "DeleteMessageBatch",
    "DeleteMessageBatchRequestEntry",
    (ids) => sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: ids.map((Id) => ({ Id, ReceiptHandle: "h" })) })),
  ],
  [
    "ChangeMessageVisibilityBatch",
    "ChangeMessageVisibilityBatchRequestEntry",
    (ids) =>
      sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl,
          Entries: ids.map((Id) => ({ Id, ReceiptHandle: "h", VisibilityTimeout: 1 })),
        }),
      ),
  ],
];

const ids = (n: number) => Array.from({ length: n }, (_, i) => `id-${i}`);

describe.each(ACTIONS)("%s", (_, entryName, call) => {
  it("refuses an empty batch with EmptyBatchRequest", async () => {
    const error = await expectSqsError(call([]), "EmptyBatchRequest");
    expect(error.message).toContain(entryName);
  });

  it("refuses 11 entries with TooManyEntriesInBatchRequest", async () => {
    const error = await expectSqsError(call(ids(11)), "TooManyEntriesInBatchRequest");
    expect(error.message).toBe("Maximum number of entries per request are 10. You have sent 11.");
  });

  it.each([
    ["a space", "has space"],
    ["a period", "a.b"],
    ["81 characters", "i".repeat(81)],
    ["nothing in it", ""],
  ])("refuses an id with %s with InvalidBatchEntryId", async (_, id) => {
    const error = await expectSqsError(call(["fine", id]), "InvalidBatchEntryId");
    expect(error.message).toBe(
      "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.",
    );
  });

  it("refuses repeated ids with BatchEntryIdsNotDistinct", async () => {
    await expectSqsError(call(["same", "other", "same"]), "BatchEntryIdsNotDistinct");
  });

  it("checks the entry count before the ids, and the ids' form before their distinctness", async () => {
    await expectSqsError(call([...ids(10), "id-0"]), "TooManyEntriesInBatchRequest");
    await expectSqsError(call(["dup", "dup", "bad id"]), "InvalidBatchEntryId");
  });
});

describe("batch ids", () => {
  it("accepts 10 entries with ids of every allowed character, up to 80 long", async () => {
    const accepted = ["a", "Z", "0", "-", "_", "aZ09-_", "x".repeat(80), "UPPER", "lower", "mixed-Case_1"];
    const before = (await messageCounts(sqs, QueueUrl)).visible;
    const result = await sqs.send(
      new SendMessageBatchCommand({ QueueUrl, Entries: accepted.map((Id) => ({ Id, MessageBody: Id })) }),
    );
    expect(result.Failed ?? []).toEqual([]);
    expect(result.Successful?.map((s) => s.Id).sort()).toEqual([...accepted].sort());
    expect((await messageCounts(sqs, QueueUrl)).visible).toBe(before + 10);
  });
});
