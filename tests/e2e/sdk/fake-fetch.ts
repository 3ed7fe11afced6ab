/** A scripted fetch for tests that need exact responses (retries, checksums) without a server. */
import type { FetchLike } from "../../../sdk/types.js";

export type Reply = (request: Request) => Response | Promise<Response>;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": "req-1", ...headers },
  });
}

export function sqsError(status: number, shape: string, queryCode: string, message = "boom"): Response {
  return json(status, { __type: `com.amazonaws.sqs#${shape}`, message }, {
    "x-amzn-query-error": `${queryCode};${status >= 500 ? "Receiver" : "Sender"}`,
  });
}

/** Answers request n with replies[n] (the last one repeats); records every request body. */
export function scriptedFetch(...replies: Reply[]): { fetch: FetchLike; requests: { target: string; body: unknown }[] } {
  const requests: { target: string; body: unknown }[] = [];
  const fetchLike: FetchLike = async (request) => {
    requests.push({ target: request.headers.get("x-amz-target") ?? "", body: await request.clone().json() });
    const reply = replies[Math.min(requests.length - 1, replies.length - 1)]!;
    return reply(request);
  };
  return { fetch: fetchLike, requests };
}
