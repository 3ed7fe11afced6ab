/**
 * HTTP subscriptions end to end against a local server: the SubscriptionConfirmation POST, its
 * SubscribeURL visited unsigned (as an endpoint confirms), notifications POSTed with SNS's
 * headers, retries after a failure as the DeliveryPolicy says, and an endpoint that never answers
 * delaying no queue.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import { GetSubscriptionAttributesCommand, CreateTopicCommand, PublishCommand, SubscribeCommand, ListSubscriptionsByTopicCommand, ConfirmSubscriptionCommand } from "@aws-sdk/client-sns";
import { afterAll, describe, expect, it } from "vitest";
import { awsClient, endpoint, uniqueName } from "../clients.js";
import { receiveAll, snsClient, subscribedQueue } from "./sns-helpers.js";

const sns = snsClient();
const sqs = awsClient();

interface Posted {
  headers: IncomingMessage["headers"];
  body: Record<string, string>;
  at: number;
}

/** A local endpoint answering each POST with the next status of `statuses` (200 once they run out), or never. */
async function endpointServer(statuses: (number | "hang")[] = []) {
  const posts: Posted[] = [];
  const waiters: (() => void)[] = [];
  const server: Server = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk: Buffer) => (text += chunk.toString()));
    request.on("end", () => {
      posts.push({ headers: request.headers, body: (text === "" ? {} : JSON.parse(text)) as Record<string, string>, at: Date.now() });
      waiters.splice(0).forEach((w) => w());
      const status = statuses.shift() ?? 200;
      if (status === "hang") return;
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/sns`,
    posts,
    async waitFor(count: number, timeoutMs = 15_000): Promise<Posted[]> {
      const deadline = Date.now() + timeoutMs;
      while (posts.length < count && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
      return posts;
    },
  };
}

const servers: Server[] = [];
afterAll(() => {
  for (const s of servers) s.closeAllConnections(), s.close();
});

const RETRY_FAST = JSON.stringify({
  healthyRetryPolicy: { numRetries: 3, minDelayTarget: 1, maxDelayTarget: 1, numNoDelayRetries: 0, numMinDelayRetries: 0, numMaxDelayRetries: 0, backoffFunction: "linear" },
});

describe("HTTP subscriptions", () => {
  it("are sent a SubscriptionConfirmation whose SubscribeURL confirms them unsigned; then get notifications", async () => {
    const server = await endpointServer();
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName("http") }));
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: server.url }));
    expect(SubscriptionArn).toBe("pending confirmation");
    const [confirmation] = await server.waitFor(1);
    expect(confirmation!.headers["x-amz-sns-message-type"]).toBe("SubscriptionConfirmation");
    expect(confirmation!.headers["x-amz-sns-topic-arn"]).toBe(TopicArn);
    expect(confirmation!.body).toMatchObject({ Type: "SubscriptionConfirmation", TopicArn });
    expect(confirmation!.body.Token).toMatch(/^[0-9a-f]+$/);

    // Published while pending: not delivered.
    await sns.send(new PublishCommand({ TopicArn, Message: "too early" }));
    const visit = await fetch(confirmation!.body.SubscribeURL!);
    expect(visit.status).toBe(200);
    const xml = await visit.text();
    const arn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(xml)![1]!;
    expect(arn).toMatch(new RegExp(`^${TopicArn}:`));
    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    expect(Subscriptions!.map((s) => s.SubscriptionArn)).toEqual([arn]);
    // Confirming again with the token answers the same subscription.
    expect((await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: confirmation!.body.Token! }))).SubscriptionArn).toBe(arn);

    await sns.send(new PublishCommand({ TopicArn, Message: "hello endpoint", Subject: "S" }));
    const posts = await server.waitFor(2);
    const notification = posts[1]!;
    expect(notification.headers["x-amz-sns-message-type"]).toBe("Notification");
    expect(notification.headers["x-amz-sns-subscription-arn"]).toBe(arn);
    expect(notification.body).toMatchObject({ Type: "Notification", TopicArn, Message: "hello endpoint", Subject: "S" });
    expect(posts.map((p) => p.body.Message)).not.toContain("too early");
  });

  it("serves nothing but ConfirmSubscription unsigned", async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName("http") }));
    const base = new URL(endpoint());
    const smuggled = `${base.origin}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(TopicArn!)}&Token=00&Action=DeleteTopic`;
    const response = await fetch(smuggled);
    expect(response.status).toBe(403);
    const wrongToken = await fetch(`${base.origin}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(TopicArn!)}&Token=00`);
    expect(wrongToken.status).toBe(400);
    expect(await wrongToken.text()).toContain("<Code>InvalidParameter</Code>");
  });

  it("retry a failed notification as the DeliveryPolicy says, and record one that keeps failing", async () => {
    const recovering = await endpointServer([200, 500, 503]);
    const failing = await endpointServer([200, 500, 500, 500, 500, 500]);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName("http") }));
    for (const e of [recovering, failing]) {
      await sns.send(new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: e.url, Attributes: { DeliveryPolicy: RETRY_FAST } }));
      const [confirmation] = await e.waitFor(1);
      await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: confirmation!.body.Token! }));
    }
    await sns.send(new PublishCommand({ TopicArn, Message: "retry me" }));
    const posts = await recovering.waitFor(4);
    expect(posts.slice(1).map((p) => p.body.Message)).toEqual(["retry me", "retry me", "retry me"]);
    expect(posts[3]!.at - posts[2]!.at).toBeGreaterThanOrEqual(900);
    // One try and three retries, then it gives up and says so.
    await failing.waitFor(5);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(failing.posts).toHaveLength(5);
    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    const failingArn = Subscriptions!.find((s) => s.Endpoint === failing.url)!.SubscriptionArn;
    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: failingArn }));
    expect(Attributes!.DeliveryFailures).toBe("1");
    expect(Attributes!.LastDeliveryFailure).toContain("500");
  }, 30_000);

  it("an endpoint that never answers delays no queue", async () => {
    const hanging = await endpointServer([200, "hang", "hang"]);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName("http") }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: hanging.url }));
    const [confirmation] = await hanging.waitFor(1);
    await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: confirmation!.body.Token! }));
    const queue = await subscribedQueue(sqs, TopicArn!);
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: queue.arn, Attributes: { RawMessageDelivery: "true" } }));
    await sns.send(new PublishCommand({ TopicArn, Message: "first" }));
    await hanging.waitFor(2);
    const started = Date.now();
    await sns.send(new PublishCommand({ TopicArn, Message: "second" }));
    const bodies = (await receiveAll(sqs, queue.url, 2, 5000)).map((m) => m.Body).sort();
    expect(bodies).toEqual(["first", "second"]);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
