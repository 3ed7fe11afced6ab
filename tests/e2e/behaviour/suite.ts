/**
 * The behaviour suite: the same SQS behaviours, asserted the same way, for every real client.
 * A client's test file hands in an adapter.
 */
import { afterAll, beforeAll, describe } from "vitest";
import type { Requests, Results } from "../../../sdk/protocol/index.js";
import type { SqsAdapter } from "./adapter.js";
import { batchBehaviour } from "./batches.js";
import { errorBehaviour } from "./errors.js";
import { messageBehaviour } from "./messages.js";
import { queueBehaviour } from "./queues.js";

const SECTIONS = {
  queues: queueBehaviour,
  messages: messageBehaviour,
  batches: batchBehaviour,
  errors: errorBehaviour,
};

export interface SuiteOptions {
  /** Skip the whole suite: for a local run without the client (see debian.ts). */
  skip?: boolean;
  /**
   * Run every standard queue the suite makes with this many partitions (the `sluice:partitions`
   * tag, durable-objects/partitions.md): everything that holds for one object must hold for N.
   */
  partitions?: number;
}

const PARTITION_TAG = "sluice:partitions";

/**
 * The client, with every standard queue it creates asking for `partitions` partitions. The tag
 * is the suite's setting, not one of a test's own, so ListQueueTags answers leave it out.
 */
function partitioned(adapter: SqsAdapter, partitions: number): SqsAdapter {
  return {
    name: adapter.name,
    protocol: adapter.protocol,
    modeledExceptions: adapter.modeledExceptions,
    close: () => adapter.close(),
    async call(action, input) {
      if (action === "CreateQueue") {
        const create = input as Requests["CreateQueue"];
        if (!create.QueueName.endsWith(".fifo")) {
          input = { ...create, tags: { ...create.tags, [PARTITION_TAG]: String(partitions) } } as unknown as typeof input;
        }
      }
      const result = await adapter.call(action, input);
      if (action === "ListQueueTags") {
        const { Tags, ...rest } = result as Results["ListQueueTags"];
        const { [PARTITION_TAG]: _, ...own } = Tags ?? {};
        return (Object.keys(own).length > 0 ? { ...rest, Tags: own } : rest) as typeof result;
      }
      return result;
    },
  };
}

export function behaviourSuite(name: string, connect: () => Promise<SqsAdapter>, options: SuiteOptions = {}): void {
  describe.skipIf(options.skip ?? false)(name, () => {
    let adapter: SqsAdapter | undefined;
    beforeAll(async () => {
      const connected = await connect();
      adapter = options.partitions ? partitioned(connected, options.partitions) : connected;
    });
    afterAll(async () => {
      await adapter?.close();
    });
    // Setup failures (e.g. a client that is not installed) fail every test with their own message.
    const client = (): SqsAdapter => {
      if (!adapter) throw new Error(`${name}: the client did not start`);
      return adapter;
    };
    for (const [section, define] of Object.entries(SECTIONS)) {
      describe(section, () => define(client));
    }
  });
}
