/**
 * REST errors: `{"error": {"code", "message"}}` with the SQS error name as code, 404 for a queue
 * that does not exist, 400 for bad input (malformed JSON, unknown fields, values out of range),
 * 405 with Allow for a method a path does not have, and never a 5xx.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { uniqueName } from "../clients.js";
import { expectError, itMatchesTheOpenApiDocument, queuePath, rest } from "./rest-client.js";

describe("REST errors", () => {
  const name = uniqueName("rest-errors");

  beforeAll(async () => {
    expect((await rest("POST", "/v1/queues", { name })).status).toBe(201);
  });

  describe("a queue that does not exist is 404 QueueDoesNotExist", () => {
    const missing = uniqueName("rest-missing");
    const calls: [string, string, unknown?][] = [
      ["GET", queuePath(missing)],
      ["PATCH", queuePath(missing), { attributes: { VisibilityTimeout: 10 } }],
      ["DELETE", queuePath(missing)],
      ["POST", queuePath(missing, "/purge")],
      ["GET", queuePath(missing, "/tags")],
      ["PATCH", queuePath(missing, "/tags"), { tags: { a: "b" } }],
      ["DELETE", queuePath(missing, "/tags/a")],
      ["POST", queuePath(missing, "/messages"), { body: "hello" }],
      ["POST", queuePath(missing, "/messages"), { messages: [{ body: "hello" }] }],
      ["GET", queuePath(missing, "/messages")],
      ["DELETE", queuePath(missing, "/messages/AAAA")],
      ["PATCH", queuePath(missing, "/messages/AAAA"), { visibilityTimeout: 0 }],
    ];
    for (const [method, path, body] of calls) {
      it(`${method} ${path.replace(missing, "{missing}")}`, async () => {
        const answer = await rest(method, path, body);
        expectError(answer, 404, "QueueDoesNotExist");
        expect(answer.json.error.message).toBe("The specified queue does not exist.");
      });
    }

    it("a name no queue can have, even one hiding a slash", async () => {
      expectError(await rest("GET", "/v1/queues/no%20such%20queue"), 404, "QueueDoesNotExist");
      expectError(await rest("GET", "/v1/queues/000000000000%2Fother"), 404, "QueueDoesNotExist");
    });
  });

  describe("malformed bodies are 400", () => {
    it("JSON that does not parse is MalformedInput", async () => {
      expectError(await rest("POST", "/v1/queues", "{not json"), 400, "MalformedInput");
      expectError(await rest("POST", queuePath(name, "/messages"), '{"body": "x",}'), 400, "MalformedInput");
      expectError(await rest("PATCH", queuePath(name), "attributes=1", { "content-type": "application/x-www-form-urlencoded" }), 400, "MalformedInput");
    });

    it("JSON that is not an object", async () => {
      const answer = await rest("POST", queuePath(name, "/messages"), '["hello"]');
      expectError(answer, 400, "InvalidParameterValue");
      expect(answer.json.error.message).toBe("The request body must be a JSON object.");
    });

    it("an unknown field, named with the fields it could have been", async () => {
      const answer = await rest("POST", queuePath(name, "/messages"), { body: "x", delay: 5 });
      expectError(answer, 400, "InvalidParameterValue");
      expect(answer.json.error.message).toBe(
        "Unknown field delay. Expected one of: body, attributes, delaySeconds, groupId, deduplicationId.",
      );
      const nested = await rest("POST", queuePath(name, "/messages"), { messages: [{ body: "x" }, { body: "y", group: "g" }] });
      expect(nested.json.error.message).toMatch(/^Unknown field messages\[1\]\.group\./);
    });

    it("a missing required field is MissingParameter, by its REST name", async () => {
      const answer = await rest("POST", "/v1/queues", {});
      expectError(answer, 400, "MissingParameter");
      expect(answer.json.error.message).toBe("The request must contain the parameter name.");
      expectError(await rest("POST", queuePath(name, "/messages"), {}), 400, "MissingParameter");
      expectError(await rest("PATCH", queuePath(name), {}), 400, "MissingParameter");
      expectError(await rest("PATCH", queuePath(name, "/messages/AAAA")), 400, "MissingParameter");
      expectError(await rest("POST", queuePath(name, "/messages"), { body: "x", attributes: { a: { type: "String" } } }), 400, "MissingParameter");
    });

    it("a value of the wrong type", async () => {
      const answer = await rest("POST", queuePath(name, "/messages"), { body: "x", delaySeconds: "5" });
      expectError(answer, 400, "InvalidParameterValue");
      expect(answer.json.error.message).toBe("Value 5 for parameter delaySeconds is invalid. Reason: The value must be an integer.");
      expectError(await rest("POST", queuePath(name, "/messages"), { body: 42 }), 400, "InvalidParameterValue");
      expectError(await rest("POST", queuePath(name, "/messages"), { messages: "x" }), 400, "InvalidParameterValue");
      expectError(await rest("PATCH", queuePath(name), { attributes: { VisibilityTimeout: null, DelaySeconds: [1] } }), 400, "InvalidParameterValue");
      expectError(await rest("PATCH", queuePath(name, "/tags"), { tags: { a: 1 } }), 400, "InvalidParameterValue");
      expectError(
        await rest("POST", queuePath(name, "/messages"), { body: "x", attributes: { b: { type: "Binary", value: "not base64!" } } }),
        400,
        "InvalidParameterValue",
      );
    });
  });

  describe("values out of range are 400", () => {
    const cases: [string, string, string, unknown?][] = [
      ["max=11", "GET", "/messages?max=11"],
      ["max=0", "GET", "/messages?max=0"],
      ["wait=21", "GET", "/messages?wait=21"],
      ["visibility=-1", "GET", "/messages?visibility=-1"],
      ["visibility=43201", "GET", "/messages?visibility=43201"],
      ["max=abc", "GET", "/messages?max=abc"],
      ["delaySeconds 901", "POST", "/messages", { body: "x", delaySeconds: 901 }],
      ["visibilityTimeout 43201", "PATCH", "/messages/AAAA", { visibilityTimeout: 43201 }],
    ];
    for (const [title, method, path, body] of cases) {
      it(title, async () => expectError(await rest(method, queuePath(name, path), body), 400, "InvalidParameterValue"));
    }

    it("a queue attribute out of range is InvalidAttributeValue", async () => {
      expectError(await rest("PATCH", queuePath(name), { attributes: { VisibilityTimeout: 43201 } }), 400, "InvalidAttributeValue");
    });

    it("limit=0 and limit=1001 on the queue list", async () => {
      expectError(await rest("GET", "/v1/queues?limit=0"), 400, "InvalidParameterValue");
      expectError(await rest("GET", "/v1/queues?limit=1001"), 400, "InvalidParameterValue");
    });

    it("an unknown attribute", async () => {
      expectError(await rest("PATCH", queuePath(name), { attributes: { Colour: "blue" } }), 400, "InvalidAttributeName");
    });

    it("an unknown or repeated query parameter", async () => {
      const answer = await rest("GET", queuePath(name, "/messages?waitTime=5"));
      expectError(answer, 400, "InvalidParameterValue");
      expect(answer.json.error.message).toBe("Unknown query parameter waitTime. Expected: wait, max, visibility, attemptId.");
      expectError(await rest("GET", queuePath(name, "?x=1")), 400, "InvalidParameterValue");
      expectError(await rest("GET", queuePath(name, "/messages?max=1&max=2")), 400, "InvalidParameterValue");
    });

    it("batches of none or more than ten messages", async () => {
      expectError(await rest("POST", queuePath(name, "/messages"), { messages: [] }), 400, "EmptyBatchRequest");
      const eleven = Array.from({ length: 11 }, (_, i) => ({ body: `m${i}` }));
      expectError(await rest("POST", queuePath(name, "/messages"), { messages: eleven }), 400, "TooManyEntriesInBatchRequest");
    });

    it("an invalid queue name on create", async () => {
      expectError(await rest("POST", "/v1/queues", { name: "no spaces" }), 400, "InvalidParameterValue");
    });
  });

  describe("SQS's other errors keep their code, with REST statuses", () => {
    it("a receipt handle that is not one is 400 ReceiptHandleIsInvalid", async () => {
      expectError(await rest("DELETE", queuePath(name, "/messages/not-a-handle")), 400, "ReceiptHandleIsInvalid");
    });

    it("a taken name with other attributes is 409 QueueNameExists", async () => {
      expectError(await rest("POST", "/v1/queues", { name, attributes: { VisibilityTimeout: 99 } }), 409, "QueueNameExists");
    });

    it("a second purge within 60 seconds is 403 PurgeQueueInProgress", async () => {
      expect((await rest("POST", queuePath(name, "/purge"))).status).toBe(204);
      expectError(await rest("POST", queuePath(name, "/purge")), 403, "PurgeQueueInProgress");
    });

    it("re-creating a queue deleted less than 60 seconds ago is 409 QueueDeletedRecently", async () => {
      const gone = uniqueName("rest-gone");
      expect((await rest("POST", "/v1/queues", { name: gone })).status).toBe(201);
      expect((await rest("DELETE", queuePath(gone))).status).toBe(204);
      expectError(await rest("POST", "/v1/queues", { name: gone }), 409, "QueueDeletedRecently");
    });
  });

  describe("routing", () => {
    it("an unknown path is 404 NotFound, pointing at the document", async () => {
      for (const path of ["/v1", "/v1/", "/v1/streams", "/v1/queues/a/b", "/v1/queues/a/messages/h/x"]) {
        const answer = await rest("GET", path);
        expectError(answer, 404, "NotFound");
        expect(answer.json.error.message).toContain("GET /v1/openapi.json");
      }
    });

    it("a method the path does not have is 405 MethodNotAllowed with Allow", async () => {
      const answer = await rest("PUT", queuePath(name));
      expectError(answer, 405, "MethodNotAllowed");
      expect(answer.headers.allow).toBe("GET, PATCH, DELETE");
      expect((await rest("DELETE", "/v1/queues")).headers.allow).toBe("GET, POST");
      expect((await rest("POST", "/v1/openapi.json")).headers.allow).toBe("GET");
    });

    it("a broken percent-encoding in the path is 400", async () => {
      expectError(await rest("GET", "/v1/queues/%E0%A4%A"), 400, "InvalidParameterValue");
    });

    it("a trailing slash is the same path", async () => {
      expect((await rest("GET", `${queuePath(name)}/`)).status).toBe(200);
    });
  });

  it("a JSON 1.0 or Query request under /v1 still gets a REST answer", async () => {
    const json = await rest("POST", "/v1/queues", "{}", {
      "content-type": "application/x-amz-json-1.0",
      "x-amz-target": "AmazonSQS.ListQueues",
    });
    expectError(json, 400, "MissingParameter");
    const query = await rest("GET", "/v1/queues?Action=ListQueues");
    expectError(query, 400, "InvalidParameterValue");
  });

  itMatchesTheOpenApiDocument();
});
