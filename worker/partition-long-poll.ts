/**
 * The wait of a long poll on a queue of several partitions (worker/long-poll.ts waits on one).
 *
 * The poll opens a waiter socket on every partition and waits for the first wake from any of
 * them; woken by partition k, it checks its client is still there and makes one non-waiting
 * receive on k, and waits on if another consumer was faster. Each partition's socket behaves as
 * on an unpartitioned queue: the object wakes a new socket at once when it holds something
 * deliverable, so nothing sent between the first receives and the sockets is missed, and
 * messages are only ever assigned by a receive RPC. A partition whose socket is lost is reopened
 * through a new stub; one that cannot have a socket is looked at with a non-waiting receive every
 * RECHECK_MS instead.
 *
 * This is the simplest correct wait: one socket per partition per waiting client, and N calls to
 * open them. Parking on fewer partitions with depth hints is the later, cheaper design
 * (durable-objects/partitions.md).
 */
import type { QueueObject } from "../durable-objects/queue/queue-object.js";
import type { ReceiveOutcome, ReceiveParams } from "../durable-objects/queue/types.js";
import { unwrap } from "./actions/handler.js";
import type { RequestContext } from "./context.js";
import { WaitSocket, type WaitEnd } from "./wait-socket.js";

/** Sockets lost in a row on one partition before it is looked at on a timer instead. */
const MAX_LOST_IN_A_ROW = 3;
/** How often a partition without a socket is looked at. */
const RECHECK_MS = 1_000;

type Stub = DurableObjectStub<QueueObject>;

interface Watch {
  k: number;
  queue: Stub;
  socket: WaitSocket | undefined;
  lostInARow: number;
  pending: Promise<{ watch: Watch; end: WaitEnd | "recheck" }> | undefined;
}

/**
 * Waits until a receive on any partition delivers or `deadline` (epoch ms) passes; an empty
 * when it passes or the client leaves. `stub(k)` gives a fresh stub of partition k. Answers
 * which partition delivered, so the caller can name it in the receipt handles.
 */
export async function waitOnPartitions(
  stub: (k: number) => Stub,
  partitions: number,
  params: ReceiveParams,
  deadline: number,
  ctx: Pick<RequestContext, "connection" | "signal">,
): Promise<{ k: number; outcome: ReceiveOutcome } | undefined> {
  const alive = async () => (ctx.connection ? ctx.connection.alive() : !ctx.signal?.aborted);
  const departed = ctx.connection?.departed ?? new Promise<void>(() => {});
  const watches: Watch[] = await Promise.all(
    Array.from({ length: partitions }, async (_, k) => {
      const queue = stub(k);
      return { k, queue, socket: await WaitSocket.open(queue), lostInARow: 0, pending: undefined };
    }),
  );
  const watchOnce = (watch: Watch): NonNullable<Watch["pending"]> => {
    if (watch.socket) return watch.socket.next(deadline, departed).then((end) => ({ watch, end }));
    const pause = Math.max(0, Math.min(RECHECK_MS, deadline - Date.now()));
    return Promise.race([
      new Promise<"recheck">((resolve) => setTimeout(() => resolve("recheck"), pause)),
      departed.then((): WaitEnd => "departed"),
    ]).then((end) => ({ watch, end }));
  };
  try {
    for (;;) {
      for (const watch of watches) watch.pending ??= watchOnce(watch);
      const { watch, end } = await Promise.race(watches.map((w) => w.pending!));
      watch.pending = undefined;
      if (end === "deadline" || end === "departed") return undefined;
      if (end === "lost") {
        watch.socket?.close();
        watch.queue = stub(watch.k);
        watch.socket = ++watch.lostInARow > MAX_LOST_IN_A_ROW ? undefined : await WaitSocket.open(watch.queue);
        continue;
      }
      if (end === "woken") watch.lostInARow = 0;
      if (Date.now() >= deadline) return undefined;
      if (!(await alive())) return undefined;
      const outcome = unwrap(await watch.queue.receive({ ...params, waitUntil: deadline, probe: true }));
      if (outcome.messages.length > 0) return { k: watch.k, outcome };
      if (outcome.retryUntil === undefined) return undefined;
      // A partition looked at on the timer tries for a socket again.
      if (end === "recheck") watch.socket = await WaitSocket.open(watch.queue);
    }
  } finally {
    for (const watch of watches) watch.socket?.close();
  }
}
