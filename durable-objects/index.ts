export { QueueObject } from "./queue/queue-object.js";
export { QueueRegistry } from "./registry/registry-object.js";
export { TopicObject } from "./topic/topic-object.js";
export { SigningKeyObject } from "./signing/signing-key-object.js";
