/**
 * Bad input on the AWS JSON 1.0 wire, with plain fetch: whatever a
 * client sends, it gets a 400 in SQS's JSON error shape — `__type`, `message`, the
 * `x-amzn-query-error` header with the legacy code, a request id — and never a 5xx. Requests go
 * signed with the tests' key, so each reaches the decoder it is meant for (worker/auth/).
 *
 * The expected codes are written out here, not imported from Sluice, so a wrong catalogue entry
 * fails. Where the spec records no AWS answer (malformed JSON, wrong member types), the codes are
 * those AWS's query-compatible JSON services use: SerializationException for a body that is not
 * JSON, InvalidParameterValue for a well-formed body with a wrong value.
 */
import { request as httpRequest } from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import { endpoint, uniqueName } from "./clients.js";
import { signedFetch } from "./signed-fetch.js";

const JSON_TYPE = "application/x-amz-json-1.0";
const MAX_MESSAGE_BYTES = 1_048_576;

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

interface ExpectedJsonError {
  /** `__type` after `com.amazonaws.sqs#`. */
  shape: string;
  /** The legacy Query code in `x-amzn-query-error`. */
  queryCode: string;
}

const INVALID_PARAMETER_VALUE = { shape: "InvalidParameterValueException", queryCode: "InvalidParameterValue" };
const MISSING_PARAMETER = { shape: "MissingRequiredParameterException", queryCode: "MissingParameter" };
const UNKNOWN_OPERATION = { shape: "UnknownOperationException", queryCode: "InvalidAction" };
const SERIALIZATION = { shape: "SerializationException", queryCode: "MalformedQueryString" };

/** POSTs `body` to `/` with the JSON 1.0 headers, `headers` overriding or (as undefined) removing them. */
async function call(target: string | undefined, body: string, headers: Record<string, string | undefined> = {}) {
  const merged: Record<string, string | undefined> = { "content-type": JSON_TYPE, "x-amz-target": target, ...headers };
  const sent = Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined));
  const response = await signedFetch(`${endpoint()}/`, { method: "POST", headers: sent, body });
  return { status: response.status, headers: response.headers, text: await response.text() } satisfies Answer;
}

const action = (name: string, input: unknown, headers?: Record<string, string | undefined>) =>
  call(`AmazonSQS.${name}`, JSON.stringify(input), headers);

/** Asserts the whole JSON error answer and returns its message for closer checks. */
function expectJsonError(answer: Answer, expected: ExpectedJsonError): string {
  expect(answer.status, answer.text).toBe(400);
  expect(answer.headers.get("content-type")).toBe(JSON_TYPE);
  expect(answer.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
  expect(answer.headers.get("x-amzn-query-error")).toBe(`${expected.queryCode};Sender`);
  const body = JSON.parse(answer.text) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(["__type", "message"]);
  expect(body.__type).toBe(`com.amazonaws.sqs#${expected.shape}`);
  expect(body.message).toEqual(expect.any(String));
  expect(body.message).not.toBe("");
  return body.message as string;
}

describe.concurrent("JSON 1.0 protocol: bad input", () => {
  let QueueUrl: string;

  beforeAll(async () => {
    const created = await action("CreateQueue", { QueueName: uniqueName("json-protocol") });
    expect(created.status, created.text).toBe(200);
    QueueUrl = (JSON.parse(created.text) as { QueueUrl: string }).QueueUrl;
  });

  it("answers a body that is not JSON with a SerializationException", async () => {
    expectJsonError(await call("AmazonSQS.ListQueues", '{"QueueNamePrefix": '), SERIALIZATION);
    expectJsonError(await call("AmazonSQS.SendMessage", "QueueUrl=x&MessageBody=y"), SERIALIZATION);
  });

  it("answers an unknown target with UnknownOperationException", async () => {
    const message = expectJsonError(await call("AmazonSQS.Frobnicate", "{}"), UNKNOWN_OPERATION);
    expect(message).toContain("AmazonSQS.Frobnicate");
    // Another service's prefix is just as unknown, even with an SQS action after it.
    expectJsonError(await call("DynamoDB_20120810.ListQueues", "{}"), UNKNOWN_OPERATION);
  });

  it("answers a JSON 1.0 request without X-Amz-Target in JSON, as an unknown operation", async () => {
    expectJsonError(await call(undefined, "{}"), UNKNOWN_OPERATION);
  });

  it("serves a request by its X-Amz-Target whatever its content type", async () => {
    // The target header alone selects JSON: AWS is not known to refuse a JSON request for its content type.
    for (const type of ["application/json", "text/plain", "application/x-www-form-urlencoded"]) {
      const answer = await action("GetQueueUrl", { QueueName: new URL(QueueUrl).pathname.split("/").pop() }, {
        "content-type": type,
      });
      expect(answer.status, `${type}: ${answer.text}`).toBe(200);
      expect(JSON.parse(answer.text)).toEqual({ QueueUrl });
    }
    // And a malformed body under another content type is still a JSON error, not a Query one.
    expectJsonError(await call("AmazonSQS.ListQueues", "{", { "content-type": "text/plain" }), SERIALIZATION);
  });

  it("answers a member of the wrong type with InvalidParameterValue naming it", async () => {
    const message = expectJsonError(
      await action("ReceiveMessage", { QueueUrl, MaxNumberOfMessages: "ten" }),
      INVALID_PARAMETER_VALUE,
    );
    expect(message).toContain("MaxNumberOfMessages");
    expectJsonError(await action("ReceiveMessage", { QueueUrl, MaxNumberOfMessages: 1.5 }), INVALID_PARAMETER_VALUE);
    expectJsonError(await action("SendMessage", { QueueUrl, MessageBody: 42 }), INVALID_PARAMETER_VALUE);
    expectJsonError(await action("GetQueueUrl", { QueueName: { name: "x" } }), INVALID_PARAMETER_VALUE);
  });

  // Bad padding, a character outside the alphabet, a lone trailing character, padding inside.
  const BAD_BASE64 = ["QQ=", "QUJD=", "A===", "not base64!", "QUJDRA=x", "Q", "QQ==QQ=="];

  it.each(BAD_BASE64)("answers the malformed blob %j as a SerializationException, wherever it is", async (blob) => {
    const binary = { DataType: "Binary", BinaryValue: blob };
    expectJsonError(await action("SendMessage", { QueueUrl, MessageBody: "b", MessageAttributes: { a: binary } }), SERIALIZATION);
    expectJsonError(
      await action("SendMessageBatch", {
        QueueUrl,
        Entries: [
          { Id: "fine", MessageBody: "b" },
          { Id: "bad", MessageBody: "b", MessageAttributes: { a: binary } },
        ],
      }),
      SERIALIZATION,
    );
    expectJsonError(
      await action("SendMessage", { QueueUrl, MessageBody: "b", MessageSystemAttributes: { AWSTraceHeader: binary } }),
      SERIALIZATION,
    );
  });

  it("accepts padded and unpadded base64 blobs", async () => {
    // Its own queue: other tests here expect the shared one to stay empty.
    const created = await action("CreateQueue", { QueueName: uniqueName("json-blobs") });
    const { QueueUrl } = JSON.parse(created.text) as { QueueUrl: string };
    for (const blob of ["QUJD", "QUI=", "QUI", "QQ==", "QQ", "QU JD\nRA=="]) {
      const answer = await action("SendMessage", {
        QueueUrl,
        MessageBody: "b",
        MessageAttributes: { a: { DataType: "Binary", BinaryValue: blob } },
      });
      expect(answer.status, `${blob}: ${answer.text}`).toBe(200);
    }
  });

  it("answers a missing required member with MissingParameter naming it", async () => {
    const message = expectJsonError(await action("ReceiveMessage", {}), MISSING_PARAMETER);
    expect(message).toBe("The request must contain the parameter QueueUrl.");
    // An empty body is `{}`, so it too lacks the member.
    expectJsonError(await call("AmazonSQS.ReceiveMessage", ""), MISSING_PARAMETER);
    const body = expectJsonError(await action("SendMessage", { QueueUrl }), MISSING_PARAMETER);
    expect(body).toBe("The request must contain the parameter MessageBody.");
  });

  it("answers a list or scalar where a map is expected with InvalidParameterValue", async () => {
    for (const Attributes of [[], ["VisibilityTimeout", "30"], "VisibilityTimeout=30"]) {
      const message = expectJsonError(await action("SetQueueAttributes", { QueueUrl, Attributes }), INVALID_PARAMETER_VALUE);
      expect(message).toContain("Attributes");
    }
    expectJsonError(
      await action("SendMessage", { QueueUrl, MessageBody: "b", MessageAttributes: [{ Name: "a" }] }),
      INVALID_PARAMETER_VALUE,
    );
    expectJsonError(
      await action("SendMessage", { QueueUrl, MessageBody: "b", MessageAttributes: { a: ["String", "v"] } }),
      INVALID_PARAMETER_VALUE,
    );
  });

  it("answers a body that is JSON but not an object with an SQS 400", async () => {
    for (const body of ["[]", '"ListQueues"', "42", "true"]) {
      expectJsonError(await call("AmazonSQS.ListQueues", body), INVALID_PARAMETER_VALUE);
    }
  });

  it("answers a message over 1 MiB with InvalidParameterValue, storing nothing", async () => {
    const answer = await action("SendMessage", { QueueUrl, MessageBody: "x".repeat(MAX_MESSAGE_BYTES + 1) });
    const message = expectJsonError(answer, INVALID_PARAMETER_VALUE);
    expect(message).toContain(`Message must be shorter than ${MAX_MESSAGE_BYTES} bytes`);
    const received = await action("ReceiveMessage", { QueueUrl });
    expect(received.status).toBe(200);
    expect(JSON.parse(received.text)).toEqual({});
  });

  it("answers a request body of several MiB with an SQS 400, not a 5xx", async () => {
    // Beyond any SQS limit, but under the cap on what is read at all (the next test).
    const huge = "x".repeat(3 * MAX_MESSAGE_BYTES);
    expectJsonError(await action("SendMessage", { QueueUrl, MessageBody: huge }), INVALID_PARAMETER_VALUE);
    expectJsonError(await call("AmazonSQS.SendMessage", `{"QueueUrl": "${QueueUrl}", "MessageBody": "${huge}`), SERIALIZATION);
  });

  it("refuses a body declared beyond 4 MiB before reading it, and before checking its signature", async () => {
    // Unsigned, and only its first KiB is ever sent: the answer must come from the size alone.
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(endpoint());
      const request = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          method: "POST",
          path: "/",
          headers: {
            "content-type": JSON_TYPE,
            "x-amz-target": "AmazonSQS.SendMessage",
            "content-length": String(10 * MAX_MESSAGE_BYTES),
          },
        },
        (response) => {
          let body = "";
          response.on("data", (chunk: Buffer) => (body += chunk.toString()));
          response.on("end", () => resolve({ status: response.statusCode!, body }));
          response.on("error", reject);
        },
      );
      request.on("error", () => undefined); // the server may close before the rest is sent
      request.write("x".repeat(1024));
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({
      __type: "com.amazonaws.sqs#InvalidParameterValueException",
      message: "The request body is larger than 4194304 bytes.",
    });
  });

  it("answers every error with a fresh request id", async () => {
    const answers = await Promise.all([1, 2, 3].map(() => call("AmazonSQS.Frobnicate", "{}")));
    const ids = answers.map((a) => a.headers.get("x-amzn-requestid"));
    expect(new Set(ids).size).toBe(3);
  });
});
