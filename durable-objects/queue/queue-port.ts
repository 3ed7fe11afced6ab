/**
 * How a queue object reaches other queues: the one binding the engine needs, and the port the
 * moves between queues go through. A test double can stand in for the port (a fault between a
 * move's copy and its delete), so the move code has no hook of its own.
 */
import type { Outcome } from "../../sdk/protocol/index.js";
import type { DeadLetter, StoreLettersOptions } from "./message-types.js";

/** What a move asks of the queue it copies to. */
export interface LetterSink {
  acceptLetters(letters: DeadLetter[], options: StoreLettersOptions): Promise<Outcome<number>>;
}

export interface QueuePort {
  byArn(arn: string): LetterSink;
}

/** The bindings a queue object needs: its own namespace, to reach the other queues. */
export interface EngineBindings {
  QUEUE: DurableObjectNamespace;
}

/** The port over the QUEUE binding: a queue object is named `<account>/<queue name>`. */
export function bindingPort(namespace: DurableObjectNamespace): QueuePort {
  return {
    byArn(arn) {
      const [, , , , accountId, name] = arn.split(":");
      return namespace.get(namespace.idFromName(`${accountId}/${name}`)) as unknown as LetterSink;
    },
  };
}
