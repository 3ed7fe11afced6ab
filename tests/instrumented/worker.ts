/**
 * TEST AND BENCH ONLY: the Worker with the instrumented queue and topic objects (queue-object.ts
 * and topic-object.ts here) in place of the deployed ones, for the unit tests
 * (tests/unit/vitest.config.ts) and the bench.
 */
export { default } from "../../worker/index.js";
export { QueueRegistry, SigningKeyObject } from "../../durable-objects/index.js";
export { InstrumentedQueueObject as QueueObject } from "./queue-object.js";
export { InstrumentedTopicObject as TopicObject } from "./topic-object.js";
