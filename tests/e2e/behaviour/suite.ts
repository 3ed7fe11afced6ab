/**
 * The behaviour suite: the same SQS behaviours, asserted the same way, for every real client.
 * A client's test file hands in an adapter.
 */
import { afterAll, beforeAll, describe } from "vitest";
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
}

export function behaviourSuite(name: string, connect: () => Promise<SqsAdapter>, options: SuiteOptions = {}): void {
  describe.skipIf(options.skip ?? false)(name, () => {
    let adapter: SqsAdapter | undefined;
    beforeAll(async () => {
      adapter = await connect();
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
