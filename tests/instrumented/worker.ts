/**
 * TEST AND BENCH ONLY: the Worker with the instrumented queue object (queue-object.ts here) in
 * place of the deployed one, for the unit tests (tests/unit/vitest.config.ts) and the bench.
 */
export { default } from "../../worker/index.js";
export { QueueRegistry, SigningKeyObject, TopicObject } from "../../durable-objects/index.js";
export { InstrumentedQueueObject as QueueObject } from "./queue-object.js";
