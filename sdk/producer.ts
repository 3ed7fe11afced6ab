/**
 * Producer: sends one message or many, packed into SendMessageBatch calls of up to 10 entries
 * and 1 MiB each. Batches go out one after another so a FIFO group keeps its order across them;
 * a failed entry never stops the rest, and all failures come back as one `ProducerBatchError`.
 */
import type { SluiceClient } from "./client.js";
import { ProducerBatchError, SluiceError, type ProducerFailure } from "./errors.js";
import { MAX_BATCH_ENTRIES, MAX_BATCH_PAYLOAD_BYTES } from "./protocol/limits.js";
import type {
  CallOptions,
  MessageAttributes,
  ProducerMessage,
  ProducerResult,
  SendMessageBatchEntry,
} from "./types.js";

export interface ProducerOptions<Body = string> {
  client: SluiceClient;
  queueUrl: string;
  /** Entries per SendMessageBatch call, 1–10; batches are also cut at the 1 MiB batch payload limit. Default `10`. */
  batchSize?: number;
  /** Turns a typed body into the message body. Default: a string as it is, anything else through `JSON.stringify`. */
  serializer?: (body: Body) => string;
}

const encoder = new TextEncoder();

interface Pending<Body> {
  entry: SendMessageBatchEntry;
  body: Body;
  bytes: number;
}

export class Producer<Body = string> {
  private readonly client: SluiceClient;
  private readonly queueUrl: string;
  private readonly batchSize: number;
  private readonly serialize: (body: Body) => string;

  constructor(options: ProducerOptions<Body>) {
    const batchSize = options.batchSize ?? MAX_BATCH_ENTRIES;
    if (!(batchSize >= 1 && batchSize <= MAX_BATCH_ENTRIES)) {
      throw new RangeError(`batchSize must be between 1 and ${MAX_BATCH_ENTRIES}, got ${batchSize}`);
    }
    this.client = options.client;
    this.queueUrl = options.queueUrl;
    this.batchSize = batchSize;
    this.serialize = options.serializer ?? ((body) => (typeof body === "string" ? body : JSON.stringify(body)));
  }

  /**
   * Sends a body, a message, or an array of them. An object with a `body` property is a message;
   * anything else is a body (wrap a body that is itself an array or has `body` in `{ body }`).
   * Resolves with one result per message in the order given; rejects with `ProducerBatchError`
   * after every batch was tried if any message failed. An abort rejects at once with the signal's
   * reason; batches already sent stay sent.
   */
  async send(
    input: Body | ProducerMessage<Body> | (Body | ProducerMessage<Body>)[],
    options?: CallOptions,
  ): Promise<ProducerResult[]> {
    const items = Array.isArray(input) ? input : [input];
    const pending = items.map((item, index) => this.prepare(item, index));
    // Keyed by entry, not id: ids only have to be unique within one batch call.
    const sent = new Map<Pending<Body>, ProducerResult>();
    const failed: ProducerFailure<Body>[] = [];
    for (const batch of this.batches(pending)) {
      const byId = new Map(batch.map((p) => [p.entry.id, p]));
      try {
        const result = await this.client.sendMessageBatch(
          { queueUrl: this.queueUrl, entries: batch.map((p) => p.entry) },
          options,
        );
        for (const ok of result.successful) sent.set(byId.get(ok.id)!, ok);
        for (const f of result.failed) failed.push({ ...f, body: byId.get(f.id)!.body });
      } catch (error) {
        if (options?.signal?.aborted) throw error;
        const code = error instanceof SluiceError ? error.code : "UnknownError";
        const message = error instanceof Error ? error.message : String(error);
        const senderFault = error instanceof SluiceError && error.status !== undefined && error.status < 500;
        for (const p of batch) failed.push({ id: p.entry.id, code, message, senderFault, body: p.body, cause: error });
      }
    }
    const results = pending.flatMap((p) => sent.get(p) ?? []);
    if (failed.length > 0) throw new ProducerBatchError(failed, results);
    return results;
  }

  private prepare(item: Body | ProducerMessage<Body>, index: number): Pending<Body> {
    const message: ProducerMessage<Body> = isMessage<Body>(item) ? item : { body: item };
    const { id = String(index), body, ...rest } = message;
    const entry: SendMessageBatchEntry = { ...rest, id, body: this.serialize(body) };
    return { entry, body, bytes: encoder.encode(entry.body).length + attributeBytes(entry.attributes) };
  }

  /** Cuts at `batchSize` entries or where the next entry would pass the 1 MiB batch payload limit. */
  private *batches(pending: Pending<Body>[]): Generator<Pending<Body>[]> {
    let batch: Pending<Body>[] = [];
    let bytes = 0;
    for (const p of pending) {
      if (batch.length === this.batchSize || (batch.length > 0 && bytes + p.bytes > MAX_BATCH_PAYLOAD_BYTES)) {
        yield batch;
        batch = [];
        bytes = 0;
      }
      batch.push(p);
      bytes += p.bytes;
    }
    if (batch.length > 0) yield batch;
  }
}

function isMessage<Body>(item: unknown): item is ProducerMessage<Body> {
  return typeof item === "object" && item !== null && !Array.isArray(item) && "body" in item;
}

/** SQS counts attribute names, data types and values toward the message and batch size. */
function attributeBytes(attributes: MessageAttributes | undefined): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(attributes ?? {})) {
    bytes += encoder.encode(name).length + encoder.encode(value.dataType).length;
    bytes += value.binaryValue?.length ?? encoder.encode(value.stringValue ?? "").length;
  }
  return bytes;
}
