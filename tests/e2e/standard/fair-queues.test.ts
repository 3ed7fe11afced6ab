/**
 * Fair queues (AWS, 2025): MessageGroupId on a standard queue must keep one noisy group from
 * starving the others, without ordering or blocking anything.
 */
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type Message,
} from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClient } from "../clients.js";
import { newQueue } from "./standard-helpers.js";

const sqs = awsClient();
const NOISY_BACKLOG = 300;

async function sendBacklog(QueueUrl: string, groupId: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 10) {
    const Entries = Array.from({ length: Math.min(10, count - i) }, (_, j) => ({
      Id: `m${j}`,
      MessageBody: `${groupId}-${i + j}`,
      MessageGroupId: groupId,
    }));
    const { Failed = [] } = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
    expect(Failed).toEqual([]);
  }
}

async function receive(QueueUrl: string): Promise<Message[]> {
  const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 300 }));
  return Messages;
}

async function deleteAll(QueueUrl: string, messages: Message[]): Promise<void> {
  for (let i = 0; i < messages.length; i += 10) {
    const Entries = messages.slice(i, i + 10).map((m, j) => ({ Id: `d${j}`, ReceiptHandle: m.ReceiptHandle! }));
    const { Failed = [] } = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries }));
    expect(Failed).toEqual([]);
  }
}

/** Receives (and deletes) until the queue is empty; returns every body in delivery order. */
async function drain(QueueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (let empty = 0; empty < 2; ) {
    const messages = await receive(QueueUrl);
    if (messages.length === 0) empty += 1;
    bodies.push(...messages.map((m) => m.Body!));
    await deleteAll(QueueUrl, messages);
  }
  return bodies;
}

// Over four partitions too: groups go to their partition and a receive takes from several
// (worker/fair-receive.ts), so the same promises hold (durable-objects/partitions.md).
describe.each([1, 4])("fair queues: MessageGroupId on a standard queue of %i partition(s)", (partitions) => {
  it("never answers a receive with nothing while a message is visible, however many groups are in flight", async () => {
    const QueueUrl = await newQueue(sqs, "fair-in-flight", undefined, partitions);
    // Sixty groups, each with its one message in flight: more than a receive looks at in turn.
    const groups = Array.from({ length: 60 }, (_, i) => `busy-${i}`);
    for (const group of groups) await sendBacklog(QueueUrl, group, 1);
    const inFlight: Message[] = [];
    for (let i = 0; i < 6; i++) inFlight.push(...(await receive(QueueUrl)));
    expect(inFlight).toHaveLength(groups.length);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "late", MessageGroupId: "late-group" }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "plain" }));
    const bodies = (await receive(QueueUrl)).map((m) => m.Body).sort();
    expect(bodies).toEqual(["late", "plain"]);
  });

  it("delivers quiet groups' messages in the first receive although a noisy group's backlog came first", async () => {
    const QueueUrl = await newQueue(sqs, "fair-noisy", undefined, partitions);
    await sendBacklog(QueueUrl, "noisy", NOISY_BACKLOG);
    for (const group of ["quiet-1", "quiet-2", "quiet-3"]) {
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `${group}-0`, MessageGroupId: group }));
    }
    const first = await receive(QueueUrl);
    expect(first).toHaveLength(10);
    expect(first.map((m) => m.Body).filter((b) => b!.startsWith("quiet")).sort()).toEqual(["quiet-1-0", "quiet-2-0", "quiet-3-0"]);

    // Nothing is lost or delivered twice.
    const rest = await drain(QueueUrl);
    const all = [...first.map((m) => m.Body!), ...rest];
    expect(all).toHaveLength(NOISY_BACKLOG + 3);
    expect(new Set(all).size).toBe(all.length);
    await deleteAll(QueueUrl, first);
  });

  it("keeps serving a quiet group that sends while a noisy group's messages are in flight", async () => {
    const QueueUrl = await newQueue(sqs, "fair-in-flight", undefined, partitions);
    await sendBacklog(QueueUrl, "noisy", 50);
    const noisyInFlight = [...(await receive(QueueUrl)), ...(await receive(QueueUrl))];
    expect(noisyInFlight.every((m) => m.Body!.startsWith("noisy"))).toBe(true);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "quiet-0", MessageGroupId: "quiet" }));
    const next = await receive(QueueUrl);
    expect(next.map((m) => m.Body)).toContain("quiet-0");
    await deleteAll(QueueUrl, [...noisyInFlight, ...next]);
  });

  it("serves messages without a group alongside grouped ones, and plain queues as before", async () => {
    const QueueUrl = await newQueue(sqs, "fair-mixed", undefined, partitions);
    await sendBacklog(QueueUrl, "noisy", 100);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "ungrouped-0" }));
    const first = await receive(QueueUrl);
    expect(first.map((m) => m.Body)).toContain("ungrouped-0");
    const rest = await drain(QueueUrl);
    expect(new Set([...first.map((m) => m.Body!), ...rest]).size).toBe(101);
    await deleteAll(QueueUrl, first);

    // Once the groups are gone the queue is a plain one again: oldest first, nothing lost.
    const plain = await newQueue(sqs, "fair-plain", undefined, partitions);
    for (const MessageBody of ["p1", "p2", "p3"]) await sqs.send(new SendMessageCommand({ QueueUrl: plain, MessageBody }));
    expect((await drain(plain)).sort()).toEqual(["p1", "p2", "p3"]);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "after-groups" }));
    expect(await drain(QueueUrl)).toEqual(["after-groups"]);
  });
});
