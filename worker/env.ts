import type { QueueObject } from "../durable-objects/queue/queue-object.js";
import type { QueueRegistry } from "../durable-objects/registry/registry-object.js";
import type { TopicObject } from "../durable-objects/topic/topic-object.js";
import type { SigningEnv } from "../durable-objects/signing/signing-material.js";

export interface Env extends SigningEnv {
  QUEUE: DurableObjectNamespace<QueueObject>;
  REGISTRY: DurableObjectNamespace<QueueRegistry>;
  TOPIC: DurableObjectNamespace<TopicObject>;
  /** JSON access keys (a Worker secret in a deployment). */
  SLUICE_CREDENTIALS?: string;
  /** "1" only under local runners (npm start, npm run dev, the e2e tests); never in wrangler.toml. */
  SLUICE_LOCAL_DEV?: string;
}

declare global {
  namespace Cloudflare {
    // The bindings `cloudflare:test`'s env and the Durable Objects' constructors see.
    interface Env extends SigningEnv {
      QUEUE: DurableObjectNamespace<QueueObject>;
      REGISTRY: DurableObjectNamespace<QueueRegistry>;
      TOPIC: DurableObjectNamespace<TopicObject>;
      SLUICE_CREDENTIALS?: string;
      SLUICE_LOCAL_DEV?: string;
    }
  }
}
