/**
 * The Sluice client: one method per SQS action, camelCase in and out, AWS JSON 1.0 on the wire.
 * Runs wherever `fetch` and WebCrypto exist (Workers, Node 20+, Deno, Bun, browsers).
 *
 * ```ts
 * const sqs = new SluiceClient({ endpoint: "http://127.0.0.1:8787", credentials });
 * const { queueUrl } = await sqs.createQueue({ queueName: "jobs" });
 * await sqs.sendMessage({ queueUrl, body: "hello" });
 * ```
 */
import { verifyChecksums } from "./checksums.js";
import { FORMATS } from "./format.js";
import type { ActionName } from "./protocol/actions.js";
import { DEFAULT_REGION } from "./protocol/limits.js";
import { Transport } from "./transport.js";
import type { CallOptions, ClientOptions, ClientRequests as In, ClientResults as Out } from "./types.js";

export class SluiceClient {
  private readonly transport: Transport;
  private readonly verifyMd5: boolean;

  constructor(options: ClientOptions) {
    this.transport = new Transport({
      url: new URL("/", options.endpoint).href,
      region: options.region ?? DEFAULT_REGION,
      credentials: options.credentials,
      // Unbound `fetch` throws "Illegal invocation" in browsers and Workers.
      fetch: options.fetch ?? ((request) => fetch(request)),
      retry: {
        maxAttempts: options.maxAttempts ?? 3,
        baseDelayMs: options.retryBaseDelayMs ?? 50,
        maxDelayMs: options.retryMaxDelayMs ?? 2_000,
      },
    });
    this.verifyMd5 = options.verifyMd5 ?? true;
  }

  /** Calls any action by its SQS name; the typed methods below are shorthands for this. */
  async call<A extends ActionName>(action: A, input: In[A], options?: CallOptions): Promise<Out[A]> {
    const format = FORMATS[action];
    const request = format.input(input);
    const result = await this.transport.call(action, request, options?.signal);
    if (this.verifyMd5) verifyChecksums(action, request, result);
    return format.output(result);
  }

  // Queues
  async createQueue(input: In["CreateQueue"], options?: CallOptions): Promise<Out["CreateQueue"]> {
    const created = await this.call("CreateQueue", input, options);
    if (input.partitions === undefined) return created;
    // No SQS attribute holds the count (a FIFO queue outside high-throughput mode keeps the tag
    // and stays one object): Sluice's REST queue resource reports it.
    const path = `v1/queues/${encodeURIComponent(input.queueName)}`;
    const { partitions } = await this.transport.get<{ partitions: number }>(path, options?.signal);
    return { ...created, partitions };
  }
  getQueueUrl(input: In["GetQueueUrl"], options?: CallOptions) {
    return this.call("GetQueueUrl", input, options);
  }
  listQueues(input: In["ListQueues"] = {}, options?: CallOptions) {
    return this.call("ListQueues", input, options);
  }
  deleteQueue(input: In["DeleteQueue"], options?: CallOptions) {
    return this.call("DeleteQueue", input, options);
  }
  getQueueAttributes(input: In["GetQueueAttributes"], options?: CallOptions) {
    return this.call("GetQueueAttributes", input, options);
  }
  setQueueAttributes(input: In["SetQueueAttributes"], options?: CallOptions) {
    return this.call("SetQueueAttributes", input, options);
  }
  purgeQueue(input: In["PurgeQueue"], options?: CallOptions) {
    return this.call("PurgeQueue", input, options);
  }
  tagQueue(input: In["TagQueue"], options?: CallOptions) {
    return this.call("TagQueue", input, options);
  }
  untagQueue(input: In["UntagQueue"], options?: CallOptions) {
    return this.call("UntagQueue", input, options);
  }
  listQueueTags(input: In["ListQueueTags"], options?: CallOptions) {
    return this.call("ListQueueTags", input, options);
  }

  // Messages
  sendMessage(input: In["SendMessage"], options?: CallOptions) {
    return this.call("SendMessage", input, options);
  }
  sendMessageBatch(input: In["SendMessageBatch"], options?: CallOptions) {
    return this.call("SendMessageBatch", input, options);
  }
  receiveMessage(input: In["ReceiveMessage"], options?: CallOptions) {
    return this.call("ReceiveMessage", input, options);
  }
  deleteMessage(input: In["DeleteMessage"], options?: CallOptions) {
    return this.call("DeleteMessage", input, options);
  }
  deleteMessageBatch(input: In["DeleteMessageBatch"], options?: CallOptions) {
    return this.call("DeleteMessageBatch", input, options);
  }
  changeMessageVisibility(input: In["ChangeMessageVisibility"], options?: CallOptions) {
    return this.call("ChangeMessageVisibility", input, options);
  }
  changeMessageVisibilityBatch(input: In["ChangeMessageVisibilityBatch"], options?: CallOptions) {
    return this.call("ChangeMessageVisibilityBatch", input, options);
  }

  // Dead-letter queues and redrive
  listDeadLetterSourceQueues(input: In["ListDeadLetterSourceQueues"], options?: CallOptions) {
    return this.call("ListDeadLetterSourceQueues", input, options);
  }
  startMessageMoveTask(input: In["StartMessageMoveTask"], options?: CallOptions) {
    return this.call("StartMessageMoveTask", input, options);
  }
  cancelMessageMoveTask(input: In["CancelMessageMoveTask"], options?: CallOptions) {
    return this.call("CancelMessageMoveTask", input, options);
  }
  listMessageMoveTasks(input: In["ListMessageMoveTasks"], options?: CallOptions) {
    return this.call("ListMessageMoveTasks", input, options);
  }

  // Permissions
  addPermission(input: In["AddPermission"], options?: CallOptions) {
    return this.call("AddPermission", input, options);
  }
  removePermission(input: In["RemovePermission"], options?: CallOptions) {
    return this.call("RemovePermission", input, options);
  }
}
