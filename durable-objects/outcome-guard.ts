/**
 * How a Durable Object's RPC methods answer: an expected `SqsError` becomes data the Worker
 * unwraps (RPC would otherwise turn it into a bare Error and lose its code); anything else is a
 * fault, thrown, which the Worker answers with a 500 and logs.
 */
import { fail, ok, SqsError, type Outcome } from "../sdk/protocol/index.js";

export function guard<T>(fn: () => T): Outcome<T> {
  try {
    return ok(fn());
  } catch (error) {
    return failure(error);
  }
}

export async function guardAsync<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return ok(await fn());
  } catch (error) {
    return failure(error);
  }
}

function failure(error: unknown): Outcome<never> {
  if (error instanceof SqsError) return fail(error);
  throw error;
}
