import { SqsError, type ActionName, type Outcome, type Requests, type Results } from "../../sdk/protocol/index.js";
import type { RequestContext } from "../context.js";

/** An action handler: canonical input in, canonical result out; it never sees the wire. */
export type Handler<A extends ActionName> = (input: Requests[A], ctx: RequestContext) => Promise<Results[A]>;

/** Turns an RPC outcome back into a value, or throws the SQS error it carried. */
export function unwrap<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw SqsError.fromData(outcome.error);
  return outcome.value;
}
