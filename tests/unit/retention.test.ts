import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { expect, it } from "vitest";
import type { QueueObject } from "../../durable-objects/queue/queue-object.js";
import { sqsOk } from "./sqs-call.js";

const ACCOUNT = "000000000000";

it("expires messages after MessageRetentionPeriod on the alarm, dead letters by their original enqueue time", async () => {
  const name = `retention-${crypto.randomUUID()}`;
  const { QueueUrl } = await sqsOk<{ QueueUrl: string }>("CreateQueue", {
    QueueName: name,
    Attributes: { MessageRetentionPeriod: "60", VisibilityTimeout: "0" },
  });
  const stub = env.QUEUE.get(env.QUEUE.idFromName(`${ACCOUNT}/${name}`));
  const t0 = Date.now();
  let now = t0;
  await runInDurableObject(stub, (queue: QueueObject) => {
    queue.clock = { now: () => now };
  });
  const send = (body: string) => sqsOk("SendMessage", { QueueUrl, MessageBody: body });
  await send("a");
  await send("b");
  // A dead letter enqueued 50 s ago elsewhere: it keeps that age here.
  const accepted = await stub.acceptLetters(
    [
      {
        origin: "arn:aws:sqs:us-east-1:000000000000:src#1",
        messageId: crypto.randomUUID(),
        body: "letter",
        md5Body: "c1d6e0b5b2b2c9a1d0bd6a6b0c9a0e6f",
        senderId: ACCOUNT,
        sentAt: t0 - 50_000,
        enqueuedAt: t0 - 50_000,
        receiveCount: 1,
      },
    ],
    { fifo: false, sourceArn: "arn:aws:sqs:us-east-1:000000000000:src", fresh: false },
  );
  expect(accepted).toEqual({ ok: true, value: 1 });
  now = t0 + 5_000;
  await send("c");

  const receiveAll = async () => {
    const { Messages = [] } = await sqsOk<{ Messages?: { Body: string }[] }>("ReceiveMessage", {
      QueueUrl,
      MaxNumberOfMessages: 10,
    });
    return Messages.map((m) => m.Body).sort();
  };
  const alarmAt = () => runInDurableObject(stub, (_queue: QueueObject, state) => state.storage.getAlarm());

  // The alarm is due when the oldest message, the dead letter, expires.
  expect(await alarmAt()).toBe(t0 + 10_000);
  now = t0 + 11_000;
  // Expired messages are never delivered, even before the alarm removed them.
  expect(await receiveAll()).toEqual(["a", "b", "c"]);
  await runDurableObjectAlarm(stub);
  expect(await alarmAt()).toBe(t0 + 60_000);

  now = t0 + 61_000;
  expect(await receiveAll()).toEqual(["c"]);
  await runDurableObjectAlarm(stub);
  const { Attributes } = await sqsOk<{ Attributes: Record<string, string> }>("GetQueueAttributes", {
    QueueUrl,
    AttributeNames: ["ApproximateNumberOfMessages"],
  });
  expect(Attributes.ApproximateNumberOfMessages).toBe("1");
  expect(await alarmAt()).toBe(t0 + 65_000);
  now = t0 + 65_000;
  await runDurableObjectAlarm(stub);
  expect(await receiveAll()).toEqual([]);
  // What remains due is the end of the 5-minute window that makes the dead letter's copy idempotent.
  expect(await alarmAt()).toBe(t0 + 300_000);
  now = t0 + 300_000;
  await runDurableObjectAlarm(stub);
  expect(await alarmAt()).toBeNull();
});
