/**
 * The wait of a long poll, Worker side: long polls that wait without being billed.
 *
 * A ReceiveMessage whose first receive found nothing waits here, in the Worker, where waiting on
 * the network costs no CPU time, instead of in a pending RPC that keeps the queue object billed
 * for the whole wait. It opens a waiter socket to the queue object (wait-socket.ts), which parks
 * it hibernatable and otherwise sleeps; the Worker keeps the poll's deadline. Each wake is only a
 * hint: the Worker checks that its client is still connected (held-response.ts) and makes an
 * ordinary, non-waiting receive RPC; empty (another waiter was faster), it waits again until the
 * deadline. So messages are assigned only by a receive RPC whose answer goes to a client that was
 * there a moment before, as with the old RPC wait, and a departed client's socket just closes.
 *
 * If the object restarts (a deploy, an eviction that dropped the socket) the socket closes and
 * the Worker opens a new one, through a new stub (a stub that saw its object reset stays broken); the object checks on every new socket whether something is
 * deliverable and wakes it at once, so a wake lost in the restart costs nothing. Nothing is
 * assigned through a socket, so a restart cannot lose a message: one assigned by a receive RPC
 * either reaches the Worker or becomes visible again at its visibility timeout. When no socket
 * can be had, the poll falls back to the old RPC wait for that stretch: billed, but never wrong.
 */
import type { ReceiveOutcome, ReceiveParams } from "../durable-objects/queue/types.js";
import type { QueueObject } from "../durable-objects/queue/queue-object.js";
import { unwrap } from "./actions/handler.js";
import type { RequestContext } from "./context.js";
import { WaitSocket } from "./wait-socket.js";

/** Sockets lost in a row without a wake before a stretch falls back to the RPC wait. */
const MAX_LOST_IN_A_ROW = 3;

/**
 * Waits until a receive delivers or the poll's `deadline` (epoch ms, from the first receive's
 * `retryUntil`) passes; an empty outcome when it passes or the client leaves. `stub()` gives a
 * fresh stub of the queue object.
 */
export async function waitForMessages(
  stub: () => DurableObjectStub<QueueObject>,
  params: ReceiveParams,
  deadline: number,
  ctx: Pick<RequestContext, "connection" | "signal">,
): Promise<ReceiveOutcome> {
  const alive = async () => (ctx.connection ? ctx.connection.alive() : !ctx.signal?.aborted);
  const departed = ctx.connection?.departed ?? new Promise<void>(() => {});
  let queue = stub();
  const receive = async (wait: boolean): Promise<ReceiveOutcome> =>
    unwrap(await queue.receive({ ...params, waitUntil: deadline, probe: !wait }));
  let socket = await WaitSocket.open(queue);
  let lostInARow = 0;
  try {
    for (;;) {
      if (!socket) {
        // No socket: one stretch of the old RPC wait, then another try for a socket.
        if (!(await alive())) return { messages: [] };
        const outcome = await receive(true);
        if (outcome.messages.length > 0 || outcome.retryUntil === undefined) return outcome;
        socket = await WaitSocket.open(queue);
        continue;
      }
      const end = await socket.next(deadline, departed);
      if (end === "deadline" || end === "departed") return { messages: [] };
      if (end === "lost") {
        socket.close();
        queue = stub();
        socket = ++lostInARow > MAX_LOST_IN_A_ROW ? undefined : await WaitSocket.open(queue);
        continue;
      }
      lostInARow = 0;
      if (!(await alive())) return { messages: [] };
      const outcome = await receive(false);
      if (outcome.messages.length > 0 || outcome.retryUntil === undefined) return outcome;
    }
  } finally {
    socket?.close();
  }
}
