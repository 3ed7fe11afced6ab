/**
 * A small typed client for one Sluice topic (SNS-compatible), over the REST routes under
 * `/v1/topics`, SigV4-signed for `sns`. Import it from `@sluice/sdk/topic`; it is kept out of the
 * package's main entry so that the queue client stays as small as it is.
 *
 * ```ts
 * const orders = new Topic({ endpoint: "http://127.0.0.1:8787", credentials, name: "orders" });
 * await orders.create();
 * await orders.subscribeQueue("arn:aws:sqs:us-east-1:000000000000:billing", { raw: true });
 * await orders.publish(JSON.stringify({ id: 42 }), { attributes: { kind: "order" } });
 * ```
 */
import { AwsV4Signer } from "aws4fetch";
import { SluiceError } from "./errors.js";
import { DEFAULT_REGION } from "./protocol/limits.js";
import { withRetries, type RetryPolicy } from "./retry.js";
import type { CallOptions, Credentials, FetchLike } from "./types.js";

export interface TopicOptions {
  /** Origin of Sluice, e.g. `http://127.0.0.1:8787`. */
  endpoint: string;
  /** The topic's name (`.fifo` at the end for a FIFO topic). */
  name: string;
  region?: string;
  credentials?: Credentials;
  fetch?: FetchLike;
  /** Attempts per call, the first included, for throttling, 5xx and network errors. Default `3`. */
  maxAttempts?: number;
}

/** A message attribute: a plain string is a String; otherwise any SNS data type (binary as base64). */
export type TopicMessageAttribute = string | { dataType: string; stringValue?: string; binaryValue?: string };

export interface PublishOptions {
  subject?: string;
  attributes?: Record<string, TopicMessageAttribute>;
  /** FIFO topics (and fair standard queues): the message group. */
  groupId?: string;
  /** FIFO topics without ContentBasedDeduplication. */
  deduplicationId?: string;
}

export interface Subscription {
  subscriptionArn: string;
  owner: string;
  protocol: string;
  endpoint: string;
  topicArn: string;
}

export class Topic {
  readonly name: string;
  private readonly base: string;
  private readonly region: string;
  private readonly credentials?: Credentials;
  private readonly fetcher: FetchLike;
  private readonly retry: RetryPolicy;

  constructor(options: TopicOptions) {
    this.name = options.name;
    this.base = new URL(`/v1/topics`, options.endpoint).href;
    this.region = options.region ?? DEFAULT_REGION;
    this.credentials = options.credentials;
    // Unbound `fetch` throws "Illegal invocation" in browsers and Workers.
    this.fetcher = options.fetch ?? ((request) => fetch(request));
    this.retry = { maxAttempts: options.maxAttempts ?? 3, baseDelayMs: 50, maxDelayMs: 2_000 };
  }

  /** CreateTopic (idempotent for equal attributes); answers the topic's ARN. */
  async create(input: { attributes?: Record<string, string>; tags?: Record<string, string> } = {}, options?: CallOptions): Promise<string> {
    const body = { name: this.name, ...input };
    return (await this.call<{ topicArn: string }>("POST", "", body, options)).topicArn;
  }

  /** The topic's attributes, as GetTopicAttributes answers them. */
  async attributes(options?: CallOptions): Promise<Record<string, string>> {
    return (await this.call<{ attributes: Record<string, string> }>("GET", this.path(), undefined, options)).attributes;
  }

  async setAttributes(attributes: Record<string, string>, options?: CallOptions): Promise<void> {
    await this.call("PATCH", this.path(), { attributes }, options);
  }

  async delete(options?: CallOptions): Promise<void> {
    await this.call("DELETE", this.path(), undefined, options);
  }

  /** Publish: answered once the message is durable; every subscribed queue then gets it. */
  async publish(message: string, input: PublishOptions = {}, options?: CallOptions): Promise<{ messageId: string; sequenceNumber?: string }> {
    return this.call("POST", `${this.path()}/messages`, { message, ...input }, options);
  }

  /** Subscribe any endpoint; answers the subscription's ARN (also while it awaits confirmation). */
  async subscribe(input: { protocol: string; endpoint: string; attributes?: Record<string, string> }, options?: CallOptions): Promise<string> {
    return (await this.call<{ subscriptionArn: string }>("POST", `${this.path()}/subscriptions`, input, options)).subscriptionArn;
  }

  /** A queue (by ARN); `raw` delivers the bare message rather than SNS's JSON envelope. Its Policy must let the topic in. */
  subscribeQueue(queueArn: string, input: { raw?: boolean; filterPolicy?: object } = {}, options?: CallOptions): Promise<string> {
    const attributes: Record<string, string> = {};
    if (input.raw) attributes.RawMessageDelivery = "true";
    if (input.filterPolicy) attributes.FilterPolicy = JSON.stringify(input.filterPolicy);
    return this.subscribe({ protocol: "sqs", endpoint: queueArn, attributes }, options);
  }

  /** Every subscription of the topic (all pages). */
  async subscriptions(options?: CallOptions): Promise<Subscription[]> {
    const all: Subscription[] = [];
    let nextToken: string | undefined;
    do {
      const query = nextToken ? `?nextToken=${encodeURIComponent(nextToken)}` : "";
      const page = await this.call<{ subscriptions: Subscription[]; nextToken?: string }>("GET", `${this.path()}/subscriptions${query}`, undefined, options);
      all.push(...page.subscriptions);
      nextToken = page.nextToken;
    } while (nextToken);
    return all;
  }

  async unsubscribe(subscriptionArn: string, options?: CallOptions): Promise<void> {
    const id = subscriptionArn.slice(subscriptionArn.lastIndexOf(":") + 1);
    await this.call("DELETE", `${this.path()}/subscriptions/${encodeURIComponent(id)}`, undefined, options);
  }

  private path(): string {
    return `/${encodeURIComponent(this.name)}`;
  }

  private call<T>(method: string, path: string, body: unknown, options?: CallOptions): Promise<T> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    return withRetries(this.retry, options?.signal, () => this.attempt<T>(method, this.base + path, text, options?.signal));
  }

  private async attempt<T>(method: string, url: string, body: string | undefined, signal?: AbortSignal): Promise<T> {
    let headers = new Headers(body === undefined ? {} : { "content-type": "application/json" });
    if (this.credentials) {
      ({ headers } = await new AwsV4Signer({ ...this.credentials, url, method, headers, body, service: "sns", region: this.region }).sign());
    }
    let response: Response;
    let text: string;
    try {
      response = await this.fetcher(new Request(url, { method, headers, body, signal }));
      text = await response.text();
    } catch (cause) {
      if (signal?.aborted) throw signal.reason;
      throw new SluiceError("NetworkError", `${method} ${url}: ${(cause as Error)?.message ?? cause}`, { cause, retryable: true });
    }
    const parsed: unknown = text.trim() === "" ? undefined : JSON.parse(text);
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new SluiceError(error?.code ?? "UnknownError", error?.message ?? `HTTP ${response.status}`, {
        status: response.status,
        requestId: response.headers.get("x-amzn-requestid") ?? undefined,
        retryable: response.status >= 500 || response.status === 429 || error?.code === "RequestThrottled",
      });
    }
    return parsed as T;
  }
}
