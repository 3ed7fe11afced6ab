/**
 * A queue driven through the Worker's front door (AWS JSON 1.0 over SELF) whose Durable Object
 * runs on a clock the test moves: time-dependent rules are checked without sleeping.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import type { InstrumentedQueueObject as QueueObject } from "../instrumented/queue-object.js";
import { sqsCall } from "./sqs-call.js";

const ACCOUNT = "000000000000";
const ORIGIN = "http://sluice.test";
/** Start the fake clock an hour ahead, so no alarm it sets can fire on its own during a test. */
const HEAD_START_MS = 3_600_000;

export interface SqsReply<T = Record<string, unknown>> {
  status: number;
  body: T & { __type?: string; message?: string };
}

export interface ReceivedMessage {
  MessageId: string;
  ReceiptHandle: string;
  Body: string;
  Attributes?: Record<string, string>;
}

export class ClockedQueue {
  /** Epoch ms the queue object sees as now. Move it forward to let time pass. */
  now = Date.now() + HEAD_START_MS;
  readonly url: string;
  private readonly stub;

  constructor(readonly name: string) {
    this.url = `${ORIGIN}/${ACCOUNT}/${name}`;
    // The unit tests' Worker runs the instrumented queue object (tests/instrumented/worker.ts).
    this.stub = env.QUEUE.get(env.QUEUE.idFromName(`${ACCOUNT}/${name}`)) as unknown as DurableObjectStub<QueueObject>;
  }

  /** Creates the object with the fake clock installed, then the queue through CreateQueue. */
  static async create(prefix: string, attributes: Record<string, string> = {}): Promise<ClockedQueue> {
    const queue = new ClockedQueue(`${prefix}-${crypto.randomUUID()}`);
    await queue.installClock();
    await queue.ok("CreateQueue", { QueueName: queue.name, Attributes: attributes });
    return queue;
  }

  /** Points the object's clock at `this.now`; needed again if the object was rebuilt. */
  installClock(): Promise<void> {
    return runInDurableObject(this.stub, (instance: QueueObject) => {
      instance.clock = { now: () => this.now };
    });
  }

  advance(ms: number): void {
    this.now += ms;
  }

  /** Calls an action on this queue (QueueUrl filled in) and returns status and body. */
  call<T = Record<string, unknown>>(action: string, input: Record<string, unknown> = {}): Promise<SqsReply<T>> {
    return sqsCall<T & { __type?: string; message?: string }>(action, { QueueUrl: this.url, ...input });
  }

  async ok<T = Record<string, unknown>>(action: string, input: Record<string, unknown> = {}): Promise<T> {
    const { status, body } = await this.call<T>(action, input);
    if (status !== 200) throw new Error(`${action} failed with ${status}: ${JSON.stringify(body)}`);
    return body;
  }

  async send(MessageBody: string, input: Record<string, unknown> = {}): Promise<string> {
    return (await this.ok<{ MessageId: string }>("SendMessage", { MessageBody, ...input })).MessageId;
  }

  async receive(input: Record<string, unknown> = {}): Promise<ReceivedMessage[]> {
    const body = await this.ok<{ Messages?: ReceivedMessage[] }>("ReceiveMessage", {
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ["All"],
      ...input,
    });
    return body.Messages ?? [];
  }

  async counts(): Promise<{ visible: number; notVisible: number; delayed: number }> {
    const { Attributes } = await this.ok<{ Attributes: Record<string, string> }>("GetQueueAttributes", {
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"],
    });
    return {
      visible: Number(Attributes.ApproximateNumberOfMessages),
      notVisible: Number(Attributes.ApproximateNumberOfMessagesNotVisible),
      delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed),
    };
  }

  /** Runs `fn` inside the queue's Durable Object (its SQL storage, its alarm). */
  inside<R>(fn: (instance: QueueObject, state: DurableObjectState) => R | Promise<R>): Promise<R> {
    return runInDurableObject(this.stub, fn);
  }

  /** Messages in storage, whatever their state: those of every segment not marked deleted. */
  storedMessages(): Promise<number> {
    return this.inside((_, state) => {
      const packed = Number(
        state.storage.sql
          .exec<{ n: number }>(
            "SELECT COUNT(*) AS n FROM segments, json_each(segments.meta) WHERE json_extract(json_each.value, '$.x') IS NULL",
          )
          .one().n,
      );
      return packed;
    });
  }

  /** Restarts the queue object on its storage (what a crash or eviction leaves), then puts the clock back. */
  async restart(): Promise<void> {
    await this.inside((instance) => instance.simulateRestart());
    await this.installClock();
  }

  alarmAt(): Promise<number | null> {
    return this.inside((_, state) => state.storage.getAlarm());
  }

  runAlarm(): Promise<boolean> {
    return runDurableObjectAlarm(this.stub);
  }
}
