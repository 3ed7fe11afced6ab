/**
 * Long polls on connections that say nothing when they close. workerd notices a departed client
 * only when it writes to it, and wrangler dev and Miniflare do not pass the disconnect on at all,
 * so a waiting ReceiveMessage cannot trust `request.signal` alone. Once a receive is about to
 * wait, the response is committed (200, the wire's headers) and whitespace is written now and
 * then — both JSON and XML allow it before the document — so a closed connection shows up as a
 * failed write or an aborted signal before any message is assigned to it.
 */
import type { ActionName } from "../sdk/protocol/index.js";
import type { Connection } from "./context.js";
import type { Wire } from "./protocol/wire.js";

const HEARTBEAT_MS = 500;
const SPACE = new TextEncoder().encode(" ");

export class HeldResponse implements Connection {
  private writer: WritableStreamDefaultWriter<Uint8Array> | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private gone = false;
  private commit: ((response: Response) => void) | undefined;
  private readonly committed = new Promise<Response>((resolve) => (this.commit = resolve));
  private depart: (() => void) | undefined;
  readonly departed = new Promise<void>((resolve) => (this.depart = resolve));

  constructor(
    private readonly wire: Wire,
    private readonly action: ActionName,
    private readonly requestId: string,
    private readonly signal: AbortSignal | undefined,
  ) {
    signal?.addEventListener("abort", () => this.depart!(), { once: true });
  }

  hold(): void {
    if (this.writer) return;
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    this.writer = writable.getWriter();
    const headers = new Headers(this.wire.result(this.action, {}, this.requestId).headers);
    this.commit!(new Response(readable, { status: 200, headers }));
    this.heartbeat = setInterval(() => void this.ping(), HEARTBEAT_MS);
    void this.ping();
  }

  async alive(): Promise<boolean> {
    if (this.writer) await this.ping();
    // A write that reached a closed socket aborts the signal a moment later.
    await new Promise((resolve) => setTimeout(resolve, 0));
    return !this.gone && !this.signal?.aborted;
  }

  /**
   * The response for `work`: its own if it settles before `hold()`, else the committed stream,
   * into which the final body is written (an error after the commit can only end the stream
   * with an empty result: the status is already sent; `lateFailure` hears of such an error).
   */
  respond(
    work: Promise<Response>,
    lateFailure: (error: unknown) => void = () => {},
  ): { response: Promise<Response>; done: Promise<void> } {
    const done = work.then(
      (response) => this.finish(response),
      (error: unknown) => {
        if (this.writer) lateFailure(error);
        return this.finish(this.wire.result(this.action, {}, this.requestId));
      },
    );
    return { response: Promise.race([this.committed, work]), done };
  }

  private async finish(response: Response): Promise<void> {
    if (!this.writer) return;
    if (this.heartbeat !== undefined) clearInterval(this.heartbeat);
    // An XML declaration must open the document, so it goes when whitespace came first.
    const body = (await response.text()).replace(/^<\?xml[^>]*\?>/, "");
    try {
      await this.writer.write(new TextEncoder().encode(body));
      await this.writer.close();
    } catch {
      // the client left; nothing to deliver to
    }
  }

  private async ping(): Promise<void> {
    try {
      await this.writer!.write(SPACE);
    } catch {
      this.gone = true;
      if (this.heartbeat !== undefined) clearInterval(this.heartbeat);
      this.depart!();
    }
  }
}
