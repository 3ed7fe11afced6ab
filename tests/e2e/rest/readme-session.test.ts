/**
 * The README's curl session, request for request: the same paths, the same bodies, and answers
 * of the shape the README shows (ids, handles and times differ from run to run). If this fails,
 * the README no longer tells the truth.
 *
 *   curl -s -X POST http://127.0.0.1:8787/v1/queues -H 'content-type: application/json' \
 *     -d '{"name": "orders", "attributes": {"VisibilityTimeout": 60}}'
 *   curl -s -X POST http://127.0.0.1:8787/v1/queues/orders/messages -H 'content-type: application/json' \
 *     -d '{"body": "hello from curl", "attributes": {"customer": {"type": "String", "value": "ada"}}}'
 *   curl -s 'http://127.0.0.1:8787/v1/queues/orders/messages?wait=5' | tee received.json
 *   handle=$(node -p 'require("./received.json").messages[0].receiptHandle')
 *   curl -s -X DELETE -w '%{http_code}\n' "http://127.0.0.1:8787/v1/queues/orders/messages/$handle"
 *   curl -s http://127.0.0.1:8787/v1/queues/orders/messages
 *   curl -s -w '%{http_code}\n' http://127.0.0.1:8787/v1/queues/invoices
 */
import { describe, expect, it } from "vitest";
import { endpoint } from "../clients.js";
import { itMatchesTheOpenApiDocument, rest } from "./rest-client.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The -d arguments of the README, byte for byte. */
const CREATE_BODY = '{"name": "orders", "attributes": {"VisibilityTimeout": 60}}';
const SEND_BODY = '{"body": "hello from curl", "attributes": {"customer": {"type": "String", "value": "ada"}}}';
const JSON_TYPE = { "content-type": "application/json" };

describe("the README's curl session", () => {
  let handle = "";

  it("creates the queue orders", async () => {
    const answer = await rest("POST", "/v1/queues", CREATE_BODY, JSON_TYPE);
    expect(answer.status, answer.text).toBe(201);
    expect(answer.text).toBe(`{"name":"orders","url":"${endpoint()}/000000000000/orders"}\n`);
  });

  it("sends a message with an attribute", async () => {
    const answer = await rest("POST", "/v1/queues/orders/messages", SEND_BODY, JSON_TYPE);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.text).toMatch(
      /^\{"messageId":"[0-9a-f-]{36}","md5OfBody":"e9a20550cac7b0b849fd3ebd6fd70c3d","md5OfAttributes":"e408d6f6b3093e5a34e3fb53ba8eb8da"\}\n$/,
    );
    expect(answer.json.messageId).toMatch(UUID);
  });

  it("receives it, waiting up to 5 seconds", async () => {
    const answer = await rest("GET", "/v1/queues/orders/messages?wait=5");
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json.messages).toHaveLength(1);
    const [message] = answer.json.messages;
    expect(Object.keys(message)).toEqual([
      "messageId",
      "receiptHandle",
      "body",
      "md5OfBody",
      "attributes",
      "md5OfAttributes",
      "systemAttributes",
    ]);
    expect(message).toMatchObject({
      body: "hello from curl",
      md5OfBody: "e9a20550cac7b0b849fd3ebd6fd70c3d",
      attributes: { customer: { type: "String", value: "ada" } },
      md5OfAttributes: "e408d6f6b3093e5a34e3fb53ba8eb8da",
      systemAttributes: { SenderId: "000000000000", ApproximateReceiveCount: "1" },
    });
    expect(Object.keys(message.systemAttributes)).toEqual([
      "SenderId",
      "SentTimestamp",
      "ApproximateReceiveCount",
      "ApproximateFirstReceiveTimestamp",
    ]);
    // Safe in a shell and a URL path as it is: the README does not encode it.
    expect(message.receiptHandle).toMatch(/^[A-Za-z0-9_-]+$/);
    handle = message.receiptHandle;
  });

  it("deletes it with its receipt handle: 204", async () => {
    const answer = await rest("DELETE", `/v1/queues/orders/messages/${handle}`);
    expect(answer.status).toBe(204);
    expect(answer.text).toBe("");
  });

  it("finds the queue empty", async () => {
    const answer = await rest("GET", "/v1/queues/orders/messages");
    expect(answer.text).toBe('{"messages":[]}\n');
  });

  it("answers a queue that does not exist with 404", async () => {
    const answer = await rest("GET", "/v1/queues/invoices");
    expect(answer.status).toBe(404);
    expect(answer.text).toBe('{"error":{"code":"QueueDoesNotExist","message":"The specified queue does not exist."}}\n');
  });

  itMatchesTheOpenApiDocument();
});
