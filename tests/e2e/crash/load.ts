/**
 * The crash test's clients: producers and consumers that keep calling whichever server is up,
 * and write down in a Ledger exactly what they were told. A call that fails (the server was
 * killed under it) is simply unknown: no retry, nothing concluded from it.
 */
import {
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { Ledger } from "./ledger.js";

/**
 * The server currently up, or a wait for the next one. `epoch` counts the servers, so a worker
 * can tell that the server it started a round with is gone and not carry on with its handles.
 */
export class Link {
  epoch = 0;
  inFlight = 0;
  private client?: SQSClient;
  private ready!: Promise<void>;
  private markReady!: () => void;

  constructor() {
    this.resetReady();
  }

  private resetReady(): void {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  up(client: SQSClient): void {
    this.client = client;
    this.markReady();
  }

  /** Called just before the kill, so no call is started against a dying server. */
  down(): SQSClient | undefined {
    const old = this.client;
    this.client = undefined;
    this.epoch += 1;
    this.resetReady();
    return old;
  }

  async current(): Promise<{ client: SQSClient; epoch: number }> {
    while (!this.client) await this.ready;
    return { client: this.client, epoch: this.epoch };
  }

  /** Counts calls in flight, so the test can show a kill hit some. */
  async call<T>(promise: Promise<T>): Promise<T> {
    this.inFlight += 1;
    try {
      return await promise;
    } finally {
      this.inFlight -= 1;
    }
  }
}

export interface Target {
  queueUrl: string;
  ledger: Ledger;
  /** FIFO queues: how many message groups the producers spread over. */
  fifoGroups?: number;
}

/** Error names seen, for the summary: a kill shows up as socket errors, nothing else should. */
export const errorNames = new Map<string, number>();
function noteError(error: unknown): void {
  const name = (error as { name?: string; code?: string }).code ?? (error as Error).name ?? "unknown";
  errorNames.set(name, (errorNames.get(name) ?? 0) + 1);
}

/** Bodies of varied sizes (up to ~6 KB), so segments fill by count as well as by bytes. */
function bodyOf(prefix: string, n: number): string {
  const pad = (n * 7919) % 6000;
  return `${prefix}:${n}:${"x".repeat(pad)}`;
}

/** Sends unique bodies until `stop()`: single sends and batches of 10, alternately. */
export async function produce(link: Link, target: Target, name: string, stop: () => boolean): Promise<void> {
  const { queueUrl: QueueUrl, ledger, fifoGroups } = target;
  let n = 0;
  const fifo = (i: number) =>
    fifoGroups ? { MessageGroupId: `g${i % fifoGroups}`, MessageDeduplicationId: `${name}-${i}` } : {};
  for (let round = 0; !stop(); round += 1) {
    const { client } = await link.current();
    if (stop()) break;
    try {
      if (round % 2 === 0) {
        const i = n++;
        const body = bodyOf(name, i);
        ledger.sending(body);
        const { MessageId } = await link.call(client.send(new SendMessageCommand({ QueueUrl, MessageBody: body, ...fifo(i) })));
        ledger.sendAcked(body, MessageId!);
      } else {
        const entries = Array.from({ length: 10 }, () => {
          const i = n++;
          return { Id: `e${i}`, MessageBody: bodyOf(name, i), ...fifo(i) };
        });
        for (const entry of entries) ledger.sending(entry.MessageBody);
        const { Successful = [] } = await link.call(client.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries })));
        const bodyById = new Map(entries.map((e) => [e.Id, e.MessageBody]));
        for (const ok of Successful) ledger.sendAcked(bodyById.get(ok.Id!)!, ok.MessageId!);
      }
    } catch (error) {
      noteError(error);
      ledger.failed();
    }
  }
}

export interface ConsumeOptions {
  visibilityTimeout: number;
  /** Fraction of received messages left undeleted, to come back after their timeout or a crash. */
  keep: number;
  /** Told whether each receive returned anything (the drain watches for empty polls). */
  onReceive?: (count: number) => void;
}

/** Receives and deletes until `stop()`: alternately with DeleteMessageBatch and single DeleteMessage calls. */
export async function consume(link: Link, target: Target, options: ConsumeOptions, stop: () => boolean): Promise<void> {
  const { queueUrl: QueueUrl, ledger } = target;
  for (let round = 0; !stop(); round += 1) {
    const { client, epoch } = await link.current();
    if (stop()) break;
    const startedAt = Date.now();
    let messages: Message[];
    try {
      const answer = await link.call(
        client.send(
          new ReceiveMessageCommand({
            QueueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
            VisibilityTimeout: options.visibilityTimeout,
          }),
        ),
      );
      messages = answer.Messages ?? [];
    } catch (error) {
      noteError(error);
      ledger.failed();
      continue;
    }
    options.onReceive?.(messages.length);
    for (const m of messages) ledger.received(m.Body!, m.MessageId!, startedAt);
    // Deterministic choice, so a kept message is kept on every receive: it waits for a crash or its timeout.
    const doomed = messages.filter((m) => hashOf(m.Body!) >= options.keep);
    if (doomed.length === 0 || link.epoch !== epoch) continue;
    for (const m of doomed) ledger.deleting(m.Body!);
    try {
      if (round % 2 === 0) {
        const entries = doomed.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! }));
        const { Successful = [] } = await link.call(client.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: entries })));
        const ackedAt = Date.now();
        for (const ok of Successful) ledger.deleteAcked(doomed[Number(ok.Id!.slice(1))]!.Body!, ackedAt);
      } else {
        await Promise.all(
          doomed.map(async (m) => {
            await link.call(client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle! })));
            ledger.deleteAcked(m.Body!, Date.now());
          }),
        );
      }
    } catch (error) {
      noteError(error);
      ledger.failed();
    }
  }
}

/** A body's fixed place in [0, 1). */
function hashOf(body: string): number {
  let h = 2166136261;
  for (let i = 0; i < Math.min(body.length, 64); i += 1) h = Math.imul(h ^ body.charCodeAt(i), 16777619);
  return (h >>> 0) / 2 ** 32;
}
