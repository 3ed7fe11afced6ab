import { describe, expect, it } from "vitest";
import { SluiceClient } from "../../../sdk/client.js";
import { SluiceError } from "../../../sdk/errors.js";
import { backoffDelayMs } from "../../../sdk/retry.js";
import type { FetchLike } from "../../../sdk/types.js";
import { json, scriptedFetch, sqsError } from "./fake-fetch.js";

const QUEUE_URL = "http://sluice.test/000000000000/q";
const created = () => json(200, { QueueUrl: QUEUE_URL });

function client(fetch: FetchLike, retryBaseDelayMs = 1) {
  return new SluiceClient({ endpoint: "http://sluice.test", fetch, retryBaseDelayMs, maxAttempts: 3 });
}

async function failure(promise: Promise<unknown>): Promise<SluiceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SluiceError);
  return error as SluiceError;
}

describe("client retries", () => {
  it("retries a 503 and returns the answer that follows", async () => {
    const { fetch, requests } = scriptedFetch(() => sqsError(503, "ServiceUnavailable", "ServiceUnavailable"), created);
    await expect(client(fetch).createQueue({ queueName: "q" })).resolves.toEqual({ queueUrl: QUEUE_URL });
    expect(requests).toHaveLength(2);
    expect(requests[1]!.target).toBe("AmazonSQS.CreateQueue");
  });

  it("never retries a 4xx and reports its code, Query code, status and request id", async () => {
    const { fetch, requests } = scriptedFetch(() =>
      sqsError(400, "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist."),
    );
    const error = await failure(client(fetch).getQueueUrl({ queueName: "missing" }));
    expect(requests).toHaveLength(1);
    expect(error).toMatchObject({
      code: "QueueDoesNotExist",
      queryCode: "AWS.SimpleQueueService.NonExistentQueue",
      status: 400,
      requestId: "req-1",
      retryable: false,
      message: "The specified queue does not exist.",
    });
  });

  it("maps unmodeled shapes to our code", async () => {
    const { fetch } = scriptedFetch(() => sqsError(400, "InvalidParameterValueException", "InvalidParameterValue"));
    expect((await failure(client(fetch).listQueues())).code).toBe("InvalidParameterValue");
  });

  it("retries throttling answers, 403 RequestThrottled and 429", async () => {
    const { fetch, requests } = scriptedFetch(
      () => sqsError(403, "RequestThrottled", "RequestThrottled"),
      () => json(429, {}),
      created,
    );
    await expect(client(fetch).createQueue({ queueName: "q" })).resolves.toEqual({ queueUrl: QUEUE_URL });
    expect(requests).toHaveLength(3);
  });

  it("gives up after maxAttempts and throws the last 5xx", async () => {
    const { fetch, requests } = scriptedFetch(() => new Response("<html>bad gateway</html>", { status: 502 }));
    const error = await failure(client(fetch).listQueues());
    expect(requests).toHaveLength(3);
    expect(error).toMatchObject({ code: "InternalError", status: 502, retryable: true });
  });

  it("retries network errors and keeps the last one as the cause", async () => {
    const cause = new TypeError("fetch failed");
    const { fetch, requests } = scriptedFetch(() => {
      throw cause;
    });
    const error = await failure(client(fetch).listQueues());
    expect(requests).toHaveLength(3);
    expect(error.code).toBe("NetworkError");
    expect(error.cause).toBe(cause);
  });

  it("stops waiting for a retry as soon as the signal aborts", async () => {
    const { fetch, requests } = scriptedFetch(() => sqsError(503, "ServiceUnavailable", "ServiceUnavailable"));
    const started = Date.now();
    const call = client(fetch, 60_000).listQueues({}, { signal: AbortSignal.timeout(50) });
    await expect(call).rejects.toMatchObject({ name: "TimeoutError" });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(requests).toHaveLength(1);
  });

  it("aborts a request in flight and does not retry it", async () => {
    let calls = 0;
    const hanging = (request: Request) => {
      calls++;
      return new Promise<Response>((_, reject) =>
        request.signal.addEventListener("abort", () => reject(request.signal.reason)),
      );
    };
    const controller = new AbortController();
    const call = client(hanging).receiveMessage({ queueUrl: QUEUE_URL, waitTimeSeconds: 20 }, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("shutting down")), 30);
    await expect(call).rejects.toThrow("shutting down");
    expect(calls).toBe(1);
  });

  it("sends nothing when the signal is already aborted", async () => {
    const { fetch, requests } = scriptedFetch(created);
    await expect(client(fetch).listQueues({}, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(requests).toHaveLength(0);
  });

  it("draws backoff delays from the full-jitter window", () => {
    const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(backoffDelayMs(1, policy, () => 1)).toBe(100);
    expect(backoffDelayMs(3, policy, () => 1)).toBe(400);
    expect(backoffDelayMs(10, policy, () => 1)).toBe(1_000);
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0);
  });
});
