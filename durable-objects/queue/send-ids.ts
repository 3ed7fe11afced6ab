/**
 * Caller-chosen send ids (NewMessage.sendId): a send the Worker retries after a transient
 * failure carries the id of the first attempt, and is answered with the first attempt's result
 * instead of storing the message again. An id is recognised for SEND_ID_WINDOW_MS.
 *
 * No row is written for it: the id rides in the message's `meta` (`i`), so a wake rebuilds this
 * index from the segments (a message deleted since is still found while its segment stays),
 * and the MessageId, in `payload`, is read only when a retry comes.
 */

/**
 * How long a send id is recognised. The Worker repeats a send within a fraction of a second
 * (an SDK's own retry is a new request with a new id), so a minute covers a retry that waits for
 * an object reset, while keeping the index small.
 */
export const SEND_ID_WINDOW_MS = 60_000;
/**
 * Ids kept at most (a few MB of memory): under a flood of sends the window shrinks rather than
 * memory growing without end; at 10,000 messages a second it still spans five seconds.
 */
const MAX_SEND_IDS = 50_000;

interface Sent {
  seq: number;
  at: number;
  /** Known once sent (or looked up); undefined for ids rebuilt at wake. */
  messageId?: string;
}

/** What the segment store tells the index (it calls `added` for each message with an id as it loads). */
export interface SendIndex {
  added(sendId: string, seq: number, enqueuedAt: number): void;
  cleared(): void;
}

export class SendIds implements SendIndex {
  /** In the order sent: the oldest first, so expired ids are dropped from the front. */
  private readonly byId = new Map<string, Sent>();

  constructor(private readonly now: () => number) {}

  added(sendId: string, seq: number, enqueuedAt: number): void {
    if (enqueuedAt > this.now() - SEND_ID_WINDOW_MS) this.byId.set(sendId, { seq, at: enqueuedAt });
  }

  cleared(): void {
    this.byId.clear();
  }

  /** The earlier send with this id, if it is still within the window. */
  find(sendId: string, now: number): Sent | undefined {
    const sent = this.byId.get(sendId);
    return sent && sent.at > now - SEND_ID_WINDOW_MS ? sent : undefined;
  }

  remember(sendId: string, seq: number, now: number, messageId: string): void {
    this.byId.delete(sendId);
    this.byId.set(sendId, { seq, at: now, messageId });
    for (const [id, sent] of this.byId) {
      if (sent.at > now - SEND_ID_WINDOW_MS && this.byId.size <= MAX_SEND_IDS) break;
      this.byId.delete(id);
    }
  }
}
