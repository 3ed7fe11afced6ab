/**
 * The Worker's end of a long-poll waiter socket (durable-objects/queue/long-poll.ts): opened on
 * the queue object's internal endpoint through its stub, it only ever carries wake frames from
 * the object. `next()` says what ended one stretch of waiting; a wake that arrives while the
 * Worker is busy receiving is kept, so the next `next()` returns at once and nothing is missed.
 */
import { WAKE } from "../durable-objects/queue/long-poll.js";
import { WAIT_PATH } from "../durable-objects/queue/wait-socket.js";

/** Why a stretch of waiting ended: a wake, the poll's deadline, the client leaving, the socket closing. */
export type WaitEnd = "woken" | "deadline" | "departed" | "lost";

/** Anything with the queue object's `fetch`: its stub. */
interface QueueEndpoint {
  fetch(input: string, init?: RequestInit): Promise<Response>;
}

export class WaitSocket {
  private woken = false;
  private lost = false;
  private settle: ((end: WaitEnd) => void) | undefined;

  private constructor(private readonly socket: WebSocket) {
    socket.accept();
    socket.addEventListener("message", (event) => {
      if (event.data !== WAKE) return;
      this.woken = true;
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

  /** Waits until woken, `deadline` (epoch ms), `departed` settling, or the socket closing. */
  async next(deadline: number, departed: Promise<void>): Promise<WaitEnd> {
    if (this.woken) {
      this.woken = false;
      return "woken";
    }
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
    if (end === "woken") this.woken = false;
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
