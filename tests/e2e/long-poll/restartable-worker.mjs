/**
 * TEST ONLY (object-restart.test.ts bundles it; never deployed): the Worker unchanged, plus a
 * `restartForTest()` on the queue object that resets it with `ctx.abort()`, as a deploy or a
 * crash would: the instance is dropped, its WebSockets close, the next request builds a new one.
 */
import { QueueObject, QueueRegistry } from "../../../durable-objects/index.ts";
import worker from "../../../worker/index.ts";

QueueObject.prototype.restartForTest = function () {
  this.ctx.abort("restarted by a test");
};

export { QueueObject, QueueRegistry };
export default worker;
