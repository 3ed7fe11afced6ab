/** The Sluice SDK pointed at the locally started Worker, plus helpers its suites share. */
import { SluiceClient } from "../../../sdk/client.js";
import type { ClientOptions, FetchLike } from "../../../sdk/types.js";
import { endpoint, uniqueName } from "../clients.js";

export const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };

export function sluice(options: Partial<ClientOptions> = {}): SluiceClient {
  return new SluiceClient({ endpoint: endpoint(), credentials: CREDENTIALS, ...options });
}

/** A fetch that counts calls per SQS action (from `X-Amz-Target`) before passing them on. */
export function countingFetch(): { fetch: FetchLike; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const fetchLike: FetchLike = (request) => {
    const action = request.headers.get("x-amz-target")?.replace("AmazonSQS.", "") ?? "?";
    calls.set(action, (calls.get(action) ?? 0) + 1);
    return fetch(request);
  };
  return { fetch: fetchLike, calls };
}

export async function createQueue(
  client: SluiceClient,
  prefix: string,
  attributes: Record<string, string> = {},
): Promise<string> {
  const { queueUrl } = await client.createQueue({ queueName: uniqueName(prefix), attributes });
  return queueUrl;
}

/** A FIFO queue; with `partitions`, asked for at create and checked to be what the queue got. */
export async function createFifoQueue(
  client: SluiceClient,
  prefix: string,
  attributes: Record<string, string> = {},
  partitions?: number,
): Promise<string> {
  const queueName = `${uniqueName(prefix)}.fifo`;
  const created = await client.createQueue({ queueName, attributes: { FifoQueue: "true", ...attributes }, ...(partitions ? { partitions } : {}) });
  if (partitions !== undefined && created.partitions !== partitions) throw new Error(`${queueName} has ${created.partitions} partitions, not ${partitions}`);
  return created.queueUrl;
}

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves when `predicate` holds, polling every 20 ms; fails after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await delay(20);
  }
}
