/**
 * The Worker's end of a long-poll waiter socket (durable-objects/queue/long-poll.ts): opened on
 * the queue object's internal endpoint through its stub, it carries wake frames from the object
 * (on a partitioned queue's partition 0 they may name another partition) and, the other way,
 * only `empty <k>`. `next()` says what ended one stretch of waiting; a wake that arrives while
 * the Worker is busy receiving is kept, so the next `next()` returns at once and nothing is missed.
 */
import { EMPTY, framePartition, WAKE } from "../durable-objects/queue/long-poll.js";
import type { ReceiveOutcome, ReceiveParams } from "../durable-objects/queue/types.js";
import { OUTCOME_HEADER, RECEIVE_HEADER, WAIT_PATH } from "../durable-objects/queue/wait-socket.js";
import type { Outcome } from "../sdk/protocol/index.js";

/** Why a stretch of waiting ended: a wake, the poll's deadline, the client leaving, the socket closing. */
export type WaitEnd = "woken" | "deadline" | "departed" | "lost";

/** Anything with the queue object's `fetch`: its stub. */
interface QueueEndpoint {
  fetch(input: string, init?: RequestInit): Promise<Response>;
}

/** What a first call of a long poll came back with: the receive's answer, or a parked socket. */
export type Opened =
  | { answered: Outcome<ReceiveOutcome> }
  | { socket: WaitSocket; outcome: ReceiveOutcome }
  | undefined;

export class WaitSocket {
  /** Partitions named by wakes not yet taken (0: the object the socket is on). */
  private readonly wokenFor = new Set<number>();
  private lost = false;
  private settle: ((end: WaitEnd) => void) | undefined;

  private constructor(private readonly socket: WebSocket) {
    socket.accept();
    socket.addEventListener("message", (event) => {
      const k = framePartition(event.data, WAKE);
      if (k === undefined) return;
      this.wokenFor.add(k);
      this.settle?.("woken");
    });
    const lose = () => {
      this.lost = true;
      this.settle?.("lost");
    };
    socket.addEventListener("close", lose);
    socket.addEventListener("error", lose);
  }

  /** Opens a waiter socket, or undefined when the object refuses one (no such queue) or is unreachable. */
  static async open(queue: QueueEndpoint): Promise<WaitSocket | undefined> {
    try {
      // The host is ignored: a stub routes by object id.
      const response = await queue.fetch(`https://queue${WAIT_PATH}`, { headers: { Upgrade: "websocket" } });
      if (response.status !== 101 || !response.webSocket) return undefined;
      return new WaitSocket(response.webSocket);
    } catch {
      return undefined;
    }
  }

  /**
   * The first call of a long poll in one request: the object receives and answers (messages, an
   * error, or nothing and no wait), or parks the socket when the receive found nothing and may
   * wait. Undefined when the object cannot be reached or refuses: the caller falls back to
   * receive RPCs. Not to be retried: the receive may have assigned messages.
   */
  static async openAfterReceive(queue: QueueEndpoint, params: ReceiveParams): Promise<Opened> {
    try {
      const response = await queue.fetch(`https://queue${WAIT_PATH}`, {
        headers: { Upgrade: "websocket", [RECEIVE_HEADER]: encodeURIComponent(JSON.stringify(params)) },
      });
      if (response.status === 200) return { answered: (await response.json()) as Outcome<ReceiveOutcome> };
      if (response.status !== 101 || !response.webSocket) return undefined;
      const outcome = JSON.parse(response.headers.get(OUTCOME_HEADER) ?? "null") as ReceiveOutcome | null;
      const socket = new WaitSocket(response.webSocket);
      if (!outcome || outcome.retryUntil === undefined) {
        socket.close();
        return undefined;
      }
      return { socket, outcome };
    } catch {
      return undefined;
    }
  }

  /** The partitions the wakes so far named (0: the socket's own object), forgetting them. */
  takeWoken(): number[] {
    const ks = [...this.wokenFor].sort((a, b) => a - b);
    this.wokenFor.clear();
    return ks;
  }

  /** Tells the hub that partition k, which it woke this poll for, had nothing (partition-notices.ts). */
  reportEmpty(k: number): void {
    try {
      this.socket.send(`${EMPTY} ${k}`);
    } catch {
      // closing: the note stays, and costs a later poll one look
    }
  }

  /** Waits until woken, `deadline` (epoch ms), `departed` settling, or the socket closing. */
  async next(deadline: number, departed: Promise<void>): Promise<WaitEnd> {
    if (this.wokenFor.size > 0) return "woken";
    if (this.lost) return "lost";
    const remaining = deadline - Date.now();
    if (remaining <= 0) return "deadline";
    let timer: ReturnType<typeof setTimeout> | null = null;
    const end = await Promise.race([
      new Promise<WaitEnd>((resolve) => (this.settle = resolve)),
      new Promise<WaitEnd>((resolve) => (timer = setTimeout(() => resolve("deadline"), remaining))),
      departed.then((): WaitEnd => "departed"),
    ]);
    if (timer !== null) clearTimeout(timer);
    this.settle = undefined;
    return end;
  }

  close(): void {
    try {
      this.socket.close(1000, "done");
    } catch {
      // already closed
    }
  }
}
