import type { Env } from "./env.js";

/** What an action handler knows about the request besides its decoded input. */
export interface RequestContext {
  env: Env;
  /** Scheme, host and port the client used: queue URLs are built from it. */
  origin: string;
  accountId: string;
  region: string;
  requestId: string;
  /** SenderId of messages sent by this request. */
  senderId: string;
  /** The request's X-Amzn-Trace-Id header: sent messages carry it as AWSTraceHeader. */
  traceHeader?: string;
  /** Aborted when the client goes away (long polls stop before taking messages). */
  signal?: AbortSignal;
  /** Lets a long poll commit its response early and check the client is still there. */
  connection?: Connection;
  /** Queue URL taken from the request path (Query clients post to the queue URL). */
  pathQueueUrl?: string;
}

/** What a handler may ask of the connection during a long poll (held-response.ts holds it). */
export interface Connection {
  /** Commits the response and starts proving the client is still there. */
  hold(): void;
  /** Whether the client is still connected; checked right before messages are taken. */
  alive(): Promise<boolean>;
  /** Settles once the client is seen gone (a failed heartbeat or the request's abort). */
  readonly departed: Promise<void>;
}
