import type { QueueObject } from "../durable-objects/queue/queue-object.js";
import type { QueueRegistry } from "../durable-objects/registry/registry-object.js";

export interface Env {
  QUEUE: DurableObjectNamespace<QueueObject>;
  REGISTRY: DurableObjectNamespace<QueueRegistry>;
}

declare global {
  namespace Cloudflare {
    // The bindings `cloudflare:test`'s env and the Durable Objects' constructors see.
    interface Env {
      QUEUE: DurableObjectNamespace<QueueObject>;
      REGISTRY: DurableObjectNamespace<QueueRegistry>;
    }
  }
}
