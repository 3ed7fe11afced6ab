/**
 * The bench's baseline (not part of Sluice): each request makes one RPC to a no-op method of a
 * SQLite-backed Durable Object. It is the floor a Worker + Durable Object design cannot go below
 * on the same machine, so Sluice's numbers are reported as ratios to it.
 */
import { DurableObject } from "cloudflare:workers";

export class EmptyObject extends DurableObject {
  ping() {}
}

export default {
  async fetch(request, env) {
    // Read the body like Sluice does, so both sides pay for receiving the same request.
    await request.arrayBuffer();
    await env.EMPTY.get(env.EMPTY.idFromName("baseline")).ping();
    return new Response("{}", { headers: { "Content-Type": "application/x-amz-json-1.0" } });
  },
};
