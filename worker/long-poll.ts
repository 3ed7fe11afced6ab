/**
 * The wait of a long poll, Worker side: long polls that wait without being billed.
 *
 * A ReceiveMessage that may wait makes one call to the queue's partition 0 (every unpartitioned
 * queue's only object): a receive that, finding nothing, parks a waiter socket on the object in
 * the same request (wait-socket.ts `openAfterReceive`), so an idle long poll costs one object
 * request. The object parks it hibernatable and otherwise sleeps; the Worker, whose waiting
 * costs no CPU time, keeps the poll's deadline. On a partitioned queue partition 0 is the hub:
 * the other partitions tell it when they get messages, and it wakes its waiters naming the
 * partition (durable-objects/queue/partition-notices.ts), so a waiting client holds one socket
 * whatever the number of partitions.
 *
 * Each wake is only a hint: the Worker checks that its client is still connected
 * (held-response.ts) and makes an ordinary, non-waiting receive RPC on the partition the wake
 * named; empty (another waiter was faster), it says so to the hub and waits again until the
 * deadline. So messages are assigned only by a receive RPC whose answer goes to a client that was
 * there a moment before, and a departed client's socket just closes.
 *
 * If the object restarts (a deploy, an eviction that dropped the socket) the socket closes and
 * the Worker opens a new one, through a new stub (a stub that saw its object reset stays broken);
 * the object checks on every new socket whether something is deliverable (and, as the hub,
 * which partitions it knows to have messages) and wakes it at once, so a wake lost in the
 * restart costs nothing. Nothing is assigned through a socket, so a restart cannot lose a
 * message. When no socket can be had, the poll falls back to the old RPC wait on partition 0 in
 * stretches of RECHECK_MS, looking at the other partitions between them: billed, but never wrong.
 */
import type { ReceiveOutcome, ReceiveParams } from "../durable-objects/queue/types.js";
import { unwrap } from "./actions/handler.js";
import type { RequestContext } from "./context.js";
import { partitionObjectName, partitionStub, type QueueRef } from "./queue-url.js";
import { WaitSocket } from "./wait-socket.js";

/** Sockets lost in a row without a wake before a stretch falls back to the RPC wait. */
const MAX_LOST_IN_A_ROW = 3;
/** Without a socket on a partitioned queue: how long one RPC wait on partition 0 lasts before the others are looked at. */
const RECHECK_MS = 1_000;

export type Received = { k: number; outcome: ReceiveOutcome };

/** What the wait needs of the receive that started it (worker/partition-receive.ts). */
export interface Looks {
  /** A non-waiting receive on partition k, until `waitUntil`; it updates the hints. */
  look(k: number, waitUntil?: number): Promise<ReceiveOutcome>;
  /** The partitions other than 0 worth a look without a socket, in order. */
  others(): number[];
  /** Partition 0's first answer (its count and hint) came in the hub call. */
  answered(outcome: ReceiveOutcome): Promise<void>;
}

const EMPTY: Received = { k: 0, outcome: { messages: [] } };

/**
 * The hub call and the wait: a receive on partition 0 that parks a socket when it finds nothing
 * and may wait, then waits until a receive on a woken partition delivers or the deadline
 * passes; an empty outcome when it passes or the client leaves.
 */
export async function receiveOrWait(
  ctx: Pick<RequestContext, "env" | "connection" | "signal">,
  ref: QueueRef,
  params: ReceiveParams,
  looks: Looks,
): Promise<Received> {
  const namespace = ctx.env.QUEUE;
  const opened = await WaitSocket.openAfterReceive(namespace.get(namespace.idFromName(partitionObjectName(ref, 0))), params);
  let socket: WaitSocket | undefined;
  let deadline: number;
  if (opened && "answered" in opened) {
    const outcome = unwrap(opened.answered);
    await looks.answered(outcome);
    return { k: 0, outcome };
  }
  if (opened) {
    await looks.answered(opened.outcome);
    socket = opened.socket;
    deadline = opened.outcome.retryUntil!;
  } else {
    // No socket: an ordinary receive first, which also says how long the poll may wait.
    const outcome = await looks.look(0, params.waitUntil);
    if (outcome.messages.length > 0 || outcome.retryUntil === undefined) return { k: 0, outcome };
    deadline = outcome.retryUntil;
  }
  // About to wait: from here the connection must prove it is alive (worker/held-response.ts),
  // and a poll woken without messages receives again only while the client is still there, so
  // a departed client never has messages assigned to it.
  ctx.connection?.hold();
  try {
    return await wait(ctx, ref, { ...params, waitUntil: deadline }, deadline, looks, socket);
  } finally {
    socket?.close();
  }
}

async function wait(
  ctx: Pick<RequestContext, "env" | "connection" | "signal">,
  ref: QueueRef,
  params: ReceiveParams,
  deadline: number,
  looks: Looks,
  socket: WaitSocket | undefined,
): Promise<Received> {
  const alive = async () => (ctx.connection ? ctx.connection.alive() : !ctx.signal?.aborted);
  const departed = ctx.connection?.departed ?? new Promise<void>(() => {});
  let lostInARow = socket ? 0 : MAX_LOST_IN_A_ROW + 1;
  const reopen = async () => {
    socket?.close();
    socket = ++lostInARow > MAX_LOST_IN_A_ROW ? undefined : await WaitSocket.open(partitionStub(ctx, ref, 0));
  };
  for (;;) {
    if (!socket) {
      // No socket: one stretch of the old RPC wait on partition 0, a look at the others, then another try for a socket.
      if (!(await alive())) return EMPTY;
      const others = looks.others();
      const stretch = others.length > 0 ? Math.min(deadline, Date.now() + RECHECK_MS) : deadline;
      const outcome = unwrap(await partitionStub(ctx, ref, 0).receive({ ...params, waitUntil: stretch }));
      if (outcome.messages.length > 0) return { k: 0, outcome };
      for (const k of others) {
        const more = await looks.look(k, deadline);
        if (more.messages.length > 0) return { k, outcome: more };
      }
      if (Date.now() >= deadline) return EMPTY;
      lostInARow = 0;
      await reopen();
      continue;
    }
    const end = await socket.next(deadline, departed);
    if (end === "deadline" || end === "departed") return EMPTY;
    if (end === "lost") {
      await reopen();
      continue;
    }
    lostInARow = 0;
    if (!(await alive())) return EMPTY;
    for (const k of socket.takeWoken()) {
      const outcome = await looks.look(k, deadline);
      if (outcome.messages.length > 0) return { k, outcome };
      if (outcome.retryUntil === undefined) return EMPTY;
      if (k > 0) socket.reportEmpty(k);
    }
  }
}
