/**
 * One SQS call over AWS JSON 1.0: `POST /` with `X-Amz-Target`, SigV4-signed
 * with aws4fetch, retried per `retry.ts`. Bytes travel as base64 and are `Uint8Array` on our side.
 */
import { AwsV4Signer } from "aws4fetch";
import { errorFromResponse, SluiceError } from "./errors.js";
import type { ActionName, Requests, Results } from "./protocol/actions.js";
import { withRetries, type RetryPolicy } from "./retry.js";
import type { Credentials, FetchLike } from "./types.js";

const CONTENT_TYPE = "application/x-amz-json-1.0";
const decoder = new TextDecoder();

export interface TransportOptions {
  url: string;
  region: string;
  credentials?: Credentials;
  fetch: FetchLike;
  retry: RetryPolicy;
}

export class Transport {
  constructor(private readonly options: TransportOptions) {}

  call<A extends ActionName>(action: A, input: Requests[A], signal?: AbortSignal): Promise<Results[A]> {
    const body = JSON.stringify(input, bytesAsBase64);
    return withRetries(this.options.retry, signal, () => this.attempt<Results[A]>(action, () => this.request(action, body, signal), signal));
  }

  /**
   * A GET of Sluice's REST API (`path` under the endpoint, e.g. `v1/queues/orders`), signed and
   * retried as an action is: for what SQS has no action for, such as a queue's partition count.
   */
  get<T>(path: string, signal?: AbortSignal): Promise<T> {
    const url = new URL(path, this.options.url).href;
    return withRetries(this.options.retry, signal, () => this.attempt<T>(`GET ${path}`, () => this.sign(url, "GET", new Headers(), undefined, signal), signal));
  }

  private async attempt<T>(action: string, build: () => Promise<Request>, signal?: AbortSignal): Promise<T> {
    const request = await build();
    let response: Response;
    let text: string;
    try {
      response = await this.options.fetch(request);
      // Not text(): workerd warns that the JSON 1.0 content type "does not appear to be text".
      text = decoder.decode(await response.arrayBuffer());
    } catch (cause) {
      if (signal?.aborted) throw signal.reason;
      throw new SluiceError("NetworkError", `${action}: ${(cause as Error)?.message ?? cause}`, {
        cause,
        retryable: true,
      });
    }
    if (!response.ok) throw errorFromResponse(response.status, response.headers, text);
    return (text ? JSON.parse(text, base64AsBytes) : {}) as T;
  }

  /** Signed anew on every attempt: a SigV4 signature is only valid for a few minutes. */
  private request(action: string, body: string, signal?: AbortSignal): Promise<Request> {
    const headers = new Headers({ "content-type": CONTENT_TYPE, "x-amz-target": `AmazonSQS.${action}` });
    return this.sign(this.options.url, "POST", headers, body, signal);
  }

  private async sign(url: string, method: string, headers: Headers, body: string | undefined, signal?: AbortSignal): Promise<Request> {
    const { region, credentials } = this.options;
    if (credentials) {
      ({ headers } = await new AwsV4Signer({ ...credentials, url, method, headers, body, service: "sqs", region }).sign());
    }
    return new Request(url, { method, headers, body, signal });
  }
}

function bytesAsBase64(_key: string, value: unknown): unknown {
  if (!(value instanceof Uint8Array)) return value;
  let binary = "";
  for (const byte of value) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function base64AsBytes(key: string, value: unknown): unknown {
  return key === "BinaryValue" && typeof value === "string"
    ? Uint8Array.from(atob(value), (c) => c.charCodeAt(0))
    : value;
}
