/**
 * Topics in the REST API with plain signed fetches, as a curl user calls them: create, publish
 * into a subscribed queue, list, subscribe, unsubscribe, delete. Every answer is checked against
 * the OpenAPI document (rest-client.ts), as the queue routes' are.
 */
import { describe, expect, it } from "vitest";
import { awsClient, endpoint, uniqueName } from "../clients.js";
import { itMatchesTheOpenApiDocument, rest as restCall } from "../rest/rest-client.js";
import { receiveAll, subscribedQueue } from "./sns-helpers.js";

async function rest(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const answer = await restCall(method, path, body);
  return { status: answer.status, json: answer.json };
}

describe("/v1/topics", () => {
  it("creates a topic, fans a message out to a subscribed queue, and deletes it", async () => {
    const name = uniqueName("rest-topic");
    const created = await rest("POST", "/v1/topics", { name, attributes: { DisplayName: "REST" }, tags: { team: "a" } });
    expect(created).toEqual({ status: 201, json: { topicArn: `arn:aws:sns:us-east-1:000000000000:${name}` } });
    const arn = created.json.topicArn as string;

    const got = await rest("GET", `/v1/topics/${name}`);
    expect(got.status).toBe(200);
    expect(got.json.attributes).toMatchObject({ TopicArn: arn, DisplayName: "REST" });
    expect((await rest("PATCH", `/v1/topics/${name}`, { attributes: { DisplayName: "Renamed" } })).status).toBe(204);
    expect((await rest("GET", `/v1/topics/${name}`)).json.attributes.DisplayName).toBe("Renamed");

    const sqs = awsClient();
    const queue = await subscribedQueue(sqs, arn);
    const subscribed = await rest("POST", `/v1/topics/${name}/subscriptions`, { protocol: "sqs", endpoint: queue.arn, attributes: { RawMessageDelivery: "true" } });
    expect(subscribed.status).toBe(201);
    expect(subscribed.json.subscriptionArn).toMatch(new RegExp(`^${arn}:`));
    const listed = await rest("GET", `/v1/topics/${name}/subscriptions`);
    expect(listed.json.subscriptions).toEqual([{ subscriptionArn: subscribed.json.subscriptionArn, owner: "000000000000", protocol: "sqs", endpoint: queue.arn, topicArn: arn }]);

    const published = await rest("POST", `/v1/topics/${name}/messages`, { message: "via rest", attributes: { kind: "order" } });
    expect(published.status).toBe(200);
    expect(published.json.messageId).toMatch(/^[0-9a-f-]{36}$/);
    const [message] = await receiveAll(sqs, queue.url, 1);
    expect(message!.Body).toBe("via rest");
    expect(message!.MessageAttributes).toEqual({ kind: { DataType: "String", StringValue: "order" } });

    const all = await rest("GET", "/v1/topics");
    expect(all.status).toBe(200);
    const id = (subscribed.json.subscriptionArn as string).split(":").pop();
    expect((await rest("DELETE", `/v1/topics/${name}/subscriptions/${id}`)).status).toBe(204);
    expect((await rest("GET", `/v1/topics/${name}/subscriptions`)).json.subscriptions).toEqual([]);
    expect((await rest("DELETE", `/v1/topics/${name}`)).status).toBe(204);
    expect(await rest("GET", `/v1/topics/${name}`)).toEqual({ status: 404, json: { error: { code: "NotFound", message: "Topic does not exist" } } });
  });

  it("answers bad requests with REST's JSON errors", async () => {
    expect((await rest("POST", "/v1/topics", { attributes: {} })).status).toBe(400);
    expect((await rest("POST", "/v1/topics", { name: "bad name" })).json.error.code).toBe("InvalidParameter");
    expect((await rest("PUT", "/v1/topics")).status).toBe(405);
    expect((await rest("GET", "/v1/topics/a/b/c/d")).status).toBe(404);
    const unsigned = await fetch(`${endpoint()}/v1/topics`);
    expect(unsigned.status).toBe(403);
  });

  itMatchesTheOpenApiDocument();
});
