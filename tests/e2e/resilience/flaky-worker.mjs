/**
 * TEST ONLY (transient-failures.test.ts bundles it; never deployed): the Worker unchanged, with a
 * queue object that fails on demand the way Cloudflare's platform fails a Durable Object call.
 * `failNext()` arms the next calls of one method to throw an error carrying `retryable` or
 * `overloaded`, either before the call runs or after it has run (its outcome unknown to the
 * caller, as when the connection drops after the object applied a write).
 */
import { QueueObject as RealQueueObject, QueueRegistry } from "../../../durable-objects/index.ts";
import worker from "../../../worker/index.ts";

/**
 * @typedef {object} FailurePlan
 * @property {string} method the queue object's method that fails
 * @property {"retryable" | "overloaded" | "bug"} kind a platform failure, or an error of the object's own code
 * @property {number} times how many calls in a row fail
 * @property {boolean} [after] fail after the call ran (its effects stored) rather than before
 */

/** @param {FailurePlan["kind"]} kind */
function platformError(kind) {
  if (kind === "bug") return new TypeError("Cannot read properties of undefined (reading 'seq')");
  const error = new Error(kind === "overloaded" ? "Durable Object is overloaded. Too many requests queued." : "Network connection lost.");
  Object.assign(error, kind === "overloaded" ? { overloaded: true } : { retryable: true });
  return error;
}

export class QueueObject extends RealQueueObject {
  /** @type {FailurePlan | undefined} */
  plan;
  /** Calls of each method seen, failed or not. */
  calls = new Map();

  /** @param {FailurePlan} plan */
  failNext(plan) {
    this.plan = { ...plan };
    this.calls.clear();
  }

  /** @param {string} method */
  callCount(method) {
    return this.calls.get(method) ?? 0;
  }

  async flaky(method, run) {
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
    const plan = this.plan?.method === method && this.plan.times > 0 ? this.plan : undefined;
    if (!plan) return run();
    plan.times -= 1;
    if (!plan.after) throw platformError(plan.kind);
    await run();
    throw platformError(plan.kind);
  }

  send(...args) {
    return this.flaky("send", () => super.send(...args));
  }

  receive(...args) {
    return this.flaky("receive", () => super.receive(...args));
  }

  getAttributes(...args) {
    return this.flaky("getAttributes", () => super.getAttributes(...args));
  }

  describe() {
    return this.flaky("describe", () => super.describe());
  }
}

export { QueueRegistry };
export default worker;
