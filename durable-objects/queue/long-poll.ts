/**
 * Long-poll waiters of one queue (long polls that wait without being billed).
 *
 * A waiter is only ever woken, never handed messages: the Worker then receives again with an
 * ordinary RPC if its client is still connected, so a client that went away while waiting never
 * has messages assigned to it, and no message is assigned without a receive RPC that answers it.
 *
 * Waiters are parked on hibernatable WebSockets (`ctx.acceptWebSocket`, tagged WAIT_TAG): one per
 * waiting ReceiveMessage, opened by the Worker through the object's stub (wait-socket.ts). The
 * object keeps nothing about them in memory or storage; `ctx.getWebSockets(WAIT_TAG)` is the
 * waiter list, and it survives the object being hibernated or evicted while the sockets stay open.
 * Between events the object runs no handler and arms no timer, so it can hibernate and is not
 * billed for duration: the Worker, whose waiting costs no CPU time, keeps the deadline. A wake is
 * a text frame the object sends (outgoing frames are not billed as requests). When a message
 * becomes visible only later (a delay or visibility timeout ending) the object's alarm is set for
 * then, because an in-memory timer would not survive hibernation and would keep the object awake.
 *
 * A consequence to keep in mind: waiting consumers no longer pin the object in memory, so it may
 * be evicted between events (Cloudflare hibernates an idle object after about 10 s) while messages
 * are in flight. That is why the segment store writes its leases to storage two seconds after a
 * receive (storage.md): an eviction then costs nothing, and its timer keeps the object awake
 * only for those two seconds.
 *
 * The in-memory waiters below are the older RPC wait (`receive` without `probe`): a pending RPC
 * billed for its whole wait. The Worker no longer uses it; it stays for RPC callers that do.
 */

/** Tag of the sockets that are long-poll waiters. */
export const WAIT_TAG = "long-poll";
/**
 * The frame a waiter is sent: something may be deliverable, receive again. On a partitioned
 * queue's partition 0 (the hub, partition-notices.ts) `wake <k>` names another partition k that
 * has messages; a Worker that found nothing there answers `empty <k>` on the same socket.
 */
export const WAKE = "wake";
export const EMPTY = "empty";

/** The partition a frame names: 0 for a plain `wake`, undefined for anything else. */
export function framePartition(frame: unknown, word: string): number | undefined {
  if (frame === word) return 0;
  if (typeof frame !== "string" || !frame.startsWith(`${word} `)) return undefined;
  const k = Number(frame.slice(word.length + 1));
  return Number.isInteger(k) && k > 0 ? k : undefined;
}

interface Waiter {
  resolve(woken: boolean): void;
  timer: ReturnType<typeof setTimeout>;
}

export class Waiters {
  private readonly waiting = new Set<Waiter>();
  private wakeTimer: ReturnType<typeof setTimeout> | undefined;
  private wakeAt = Infinity;

  constructor(private readonly ctx: DurableObjectState) {}

  /** Waiters of both kinds. */
  get size(): number {
    return this.waiting.size + this.sockets().length;
  }

  /** Whether a socket waiter exists: then the next visibility change needs the alarm. */
  get parked(): boolean {
    return this.sockets().length > 0;
  }

  /** Parks `socket` as a waiter; hibernatable, so waiting keeps nothing running. */
  park(socket: WebSocket): void {
    this.ctx.acceptWebSocket(socket, [WAIT_TAG]);
  }

  /** RPC waiter: resolves true when woken, false when `timeoutMs` passes first. */
  wait(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(() => {
          this.waiting.delete(waiter);
          resolve(false);
        }, timeoutMs),
      };
      this.waiting.add(waiter);
    });
  }

  /** Wakes every waiter; each re-checks the queue, so exactly the ones that find messages get them. */
  wakeAll(): void {
    for (const waiter of this.waiting) {
      clearTimeout(waiter.timer);
      waiter.resolve(true);
    }
    this.waiting.clear();
    for (const socket of this.sockets()) wakeSocket(socket);
  }

  /**
   * Arms a timer for when an invisible message becomes visible, for RPC waiters only (they keep
   * the object awake anyway); socket waiters are woken by the alarm (queue-object.ts).
   */
  wakeAfter(delayMs: number, now: number): void {
    const at = now + delayMs;
    if (this.waiting.size === 0 || at >= this.wakeAt) return;
    if (this.wakeTimer !== undefined) clearTimeout(this.wakeTimer);
    this.wakeAt = at;
    this.wakeTimer = setTimeout(() => {
      this.wakeAt = Infinity;
      this.wakeAll();
    }, Math.max(0, delayMs));
  }

  private sockets(): WebSocket[] {
    return this.ctx.getWebSockets(WAIT_TAG);
  }
}

/** Sends the wake frame (naming partition k >= 1 if given); a socket closing meanwhile just misses it (its Worker is leaving). */
export function wakeSocket(socket: WebSocket, k = 0): void {
  try {
    socket.send(k === 0 ? WAKE : `${WAKE} ${k}`);
  } catch {
    // already closing: its webSocketClose follows
  }
}
