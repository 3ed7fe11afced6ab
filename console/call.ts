/**
 * Every read and change the console makes goes through the Worker's own dispatcher, with the
 * session's account as the caller: the same validation, the same account isolation and the same
 * errors as the API, and no second way into the queue objects.
 */
import { DEFAULT_REGION, type ActionName, type Requests, type Results } from "../sdk/protocol/index.js";
import type { RequestContext } from "../worker/context.js";
import { dispatch } from "../worker/dispatch.js";
import type { Env } from "../worker/env.js";
import type { Session } from "./session.js";

export type Call = <A extends ActionName>(action: A, input: Requests[A]) => Promise<Results[A]>;

export function callerFor(env: Env, origin: string, session: Session, requestId: string): Call {
  const ctx: RequestContext = {
    env,
    origin,
    accountId: session.accountId,
    // The console has no signature to take a region from; queues it creates are in the default one.
    region: DEFAULT_REGION,
    requestId,
    senderId: session.accountId,
  };
  return async (action, input) => (await dispatch({ action, input } as never, ctx)) as never;
}
