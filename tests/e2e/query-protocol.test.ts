/**
 * The Query protocol on the wire, with plain fetch: routing (GET, POST, queue
 * URL paths), exact XML for results and errors, and malformed requests, which must always get an
 * SQS-shaped XML 400 rather than a 5xx.
 */
import { describe, expect, it } from "vitest";
import { endpoint, uniqueName } from "./clients.js";
import { signedFetch } from "./signed-fetch.js";

const XMLNS = "http://queue.amazonaws.com/doc/2012-11-05/";

interface Answer {
  status: number;
  type: string | null;
  requestId: string | null;
  body: string;
}

/** POSTs a form (an object, or raw text for malformed ones) to `path`. */
async function post(form: Record<string, string> | string, path = "/"): Promise<Answer> {
  const body = typeof form === "string" ? form : new URLSearchParams(form).toString();
  return answer(
    await signedFetch(endpoint() + path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      body,
    }),
  );
}

async function get(query: string, path = "/"): Promise<Answer> {
  return answer(await signedFetch(`${endpoint()}${path}?${query}`));
}

async function answer(response: Response): Promise<Answer> {
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    requestId: response.headers.get("x-amzn-requestid"),
    body: await response.text(),
  };
}

/** The exact XML error document AWS sends, for this answer's request id. */
function errorXml(answer: Answer, type: string, code: string, message: string): string {
  return (
    `<?xml version="1.0"?><ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${code}</Code>` +
    `<Message>${message}</Message><Detail/></Error><RequestId>${answer.requestId}</RequestId></ErrorResponse>`
  );
}

function expectError(answer: Answer, status: number, code: string): void {
  expect(answer.status, answer.body).toBe(status);
  expect(answer.type).toBe("text/xml");
  expect(answer.requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(answer.body).toContain(`<Code>${code}</Code>`);
  expect(answer.body).toMatch(new RegExp(`^<\\?xml version="1.0"\\?><ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type>`));
  expect(answer.body).toMatch(new RegExp(`<Detail/></Error><RequestId>${answer.requestId}</RequestId></ErrorResponse>$`));
}

function element(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

async function createQueue(prefix: string): Promise<{ name: string; url: string; path: string }> {
  const name = uniqueName(prefix);
  const created = await post({ Action: "CreateQueue", Version: "2012-11-05", QueueName: name });
  expect(created.status, created.body).toBe(200);
  const url = element(created.body, "QueueUrl")!;
  return { name, url, path: new URL(url).pathname };
}

describe("Query requests", () => {
  it("answers a GET with the query string in XML", async () => {
    const name = uniqueName("get");
    const created = await get(
      `Action=CreateQueue&Version=2012-11-05&QueueName=${name}&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=17`,
    );
    expect(created.status).toBe(200);
    expect(created.type).toBe("text/xml");
    expect(created.body).toBe(
      `<?xml version="1.0"?><CreateQueueResponse xmlns="${XMLNS}"><CreateQueueResult>` +
        `<QueueUrl>${endpoint()}/000000000000/${name}</QueueUrl></CreateQueueResult>` +
        `<ResponseMetadata><RequestId>${created.requestId}</RequestId></ResponseMetadata></CreateQueueResponse>`,
    );
    const attributes = await get(`Action=GetQueueAttributes&AttributeName.1=VisibilityTimeout`, `/000000000000/${name}`);
    expect(attributes.body).toContain(
      `<GetQueueAttributesResult><Attribute><Name>VisibilityTimeout</Name><Value>17</Value></Attribute></GetQueueAttributesResult>`,
    );
  });

  it("takes the queue from the URL path, unless a QueueUrl parameter is given", async () => {
    const a = await createQueue("path-a");
    const b = await createQueue("path-b");
    expect((await post({ Action: "SendMessage", MessageBody: "to a" }, a.path)).status).toBe(200);
    expect((await post({ Action: "SendMessage", MessageBody: "to b", QueueUrl: b.url }, a.path)).status).toBe(200);
    const fromA = await post({ Action: "ReceiveMessage", MaxNumberOfMessages: "10" }, a.path);
    const fromB = await post({ Action: "ReceiveMessage", MaxNumberOfMessages: "10", QueueUrl: b.url });
    expect(fromA.body.match(/<Body>[^<]*<\/Body>/g)).toEqual(["<Body>to a</Body>"]);
    expect(fromB.body.match(/<Body>[^<]*<\/Body>/g)).toEqual(["<Body>to b</Body>"]);
  });

  it("escapes bodies so that they round-trip, CR included, and flattens attributes", async () => {
    const { path } = await createQueue("escape");
    const body = "a&b<c>d\"e'f\r\ng\th]]>😀";
    await post(
      {
        Action: "SendMessage",
        MessageBody: body,
        "MessageAttribute.1.Name": "k",
        "MessageAttribute.1.Value.DataType": "Binary.raw",
        "MessageAttribute.1.Value.BinaryValue": "AAEC",
      },
      path,
    );
    const received = await post(
      { Action: "ReceiveMessage", "MessageSystemAttributeName.1": "ApproximateReceiveCount", "MessageAttributeName.1": "All" },
      path,
    );
    expect(received.body).toContain("<Body>a&amp;b&lt;c&gt;d\"e'f&#xD;\ng\th]]&gt;😀</Body>");
    expect(received.body).toContain("<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>");
    const attribute = /<MessageAttribute><Name>k<\/Name><Value>(.*?)<\/Value><\/MessageAttribute>/.exec(received.body)?.[1];
    expect([element(attribute ?? "", "DataType"), element(attribute ?? "", "BinaryValue")]).toEqual(["Binary.raw", "AAEC"]);
  });

  it("writes no Result element for actions without output, and an empty one for an empty receive", async () => {
    const { path } = await createQueue("shapes");
    const empty = await post({ Action: "ReceiveMessage" }, path);
    expect(empty.body).toContain(`<ReceiveMessageResponse xmlns="${XMLNS}"><ReceiveMessageResult/><ResponseMetadata>`);
    const deleted = await post({ Action: "DeleteQueue" }, path);
    expect(deleted.body).toBe(
      `<?xml version="1.0"?><DeleteQueueResponse xmlns="${XMLNS}">` +
        `<ResponseMetadata><RequestId>${deleted.requestId}</RequestId></ResponseMetadata></DeleteQueueResponse>`,
    );
  });

  it("sends errors with their modeled status and the Query wording", async () => {
    const missing = await post({ Action: "GetQueueUrl", QueueName: uniqueName("nope") });
    expect(missing.status).toBe(400);
    expect(missing.body).toBe(
      errorXml(missing, "Sender", "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist for this wsdl version."),
    );
    const { path, name } = await createQueue("purge");
    expect((await post({ Action: "PurgeQueue" }, path)).status).toBe(200);
    const again = await post({ Action: "PurgeQueue" }, path);
    expect(again.status).toBe(403);
    expect(again.body).toBe(
      errorXml(again, "Sender", "AWS.SimpleQueueService.PurgeQueueInProgress", `Only one PurgeQueue operation on ${name} is allowed every 60 seconds.`),
    );
  });

  it("still answers JSON 1.0 requests in JSON", async () => {
    const response = await signedFetch(endpoint(), {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.ListQueues" },
      body: "{}",
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-amz-json-1.0");
    const untargeted = await signedFetch(endpoint(), {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.0" },
      body: "{}",
    });
    expect(untargeted.status).toBe(400);
    expect(untargeted.headers.get("content-type")).toBe("application/x-amz-json-1.0");
  });
});

describe("Query requests that accept JSON", () => {
  const postJson = async (form: Record<string, string>, path = "/") => {
    const response = await signedFetch(endpoint() + path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams(form).toString(),
    });
    return { status: response.status, type: response.headers.get("content-type"), requestId: response.headers.get("x-amzn-requestid"), body: await response.text() };
  };
  const getJson = async (query: string, path = "/") => {
    const response = await signedFetch(`${endpoint()}${path}?${query}`, { headers: { accept: "application/json" } });
    return { status: response.status, type: response.headers.get("content-type"), requestId: response.headers.get("x-amzn-requestid"), body: await response.text() };
  };
  const parsed = (answer: { body: string }) => JSON.parse(answer.body) as Record<string, any>;

  it("answers SendMessage as SQS renders it in JSON: every member, null when absent, in alphabetical order", async () => {
    const { path } = await createQueue("accept-json");
    const sent = await postJson({ Action: "SendMessage", MessageBody: "hello" }, path);
    expect(sent.status).toBe(200);
    expect(sent.type).toBe("application/json");
    const messageId = parsed(sent).SendMessageResponse.SendMessageResult.MessageId as string;
    expect(messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.body).toBe(
      `{"SendMessageResponse":{"ResponseMetadata":{"RequestId":"${sent.requestId}"},"SendMessageResult":{"MD5OfMessageAttributes":null,` +
        `"MD5OfMessageBody":"5d41402abc4b2a76b9719d911017c592","MD5OfMessageSystemAttributes":null,"MessageId":"${messageId}","SequenceNumber":null}}}`,
    );
  });

  it("answers ReceiveMessage with messages in lower camel case, null when there are none, by POST or GET", async () => {
    const { url, path } = await createQueue("accept-json-receive");
    const empty = await getJson("Action=ReceiveMessage", path);
    expect(empty.body).toBe(`{"ReceiveMessageResponse":{"ReceiveMessageResult":{"messages":null},"ResponseMetadata":{"RequestId":"${empty.requestId}"}}}`);
    await postJson({ Action: "SendMessage", MessageBody: "hello", "MessageAttribute.1.Name": "kind", "MessageAttribute.1.Value.DataType": "String", "MessageAttribute.1.Value.StringValue": "greeting" }, path);
    const received = await postJson({ Action: "ReceiveMessage", QueueUrl: url, "MessageAttributeName.1": "All", "AttributeName.1": "ApproximateReceiveCount" });
    const [message] = parsed(received).ReceiveMessageResponse.ReceiveMessageResult.messages;
    expect(Object.keys(message)).toEqual(["Attributes", "Body", "MD5OfBody", "MD5OfMessageAttributes", "MessageAttributes", "MessageId", "ReceiptHandle"]);
    expect(message).toMatchObject({
      Attributes: { ApproximateReceiveCount: "1" },
      Body: "hello",
      MD5OfBody: "5d41402abc4b2a76b9719d911017c592",
      MessageAttributes: { kind: { BinaryValue: null, DataType: "String", StringValue: "greeting", binaryListValues: null, stringListValues: null } },
    });
    const purged = await postJson({ Action: "PurgeQueue", QueueUrl: url });
    expect(parsed(purged)).toEqual({ PurgeQueueResponse: { ResponseMetadata: { RequestId: purged.requestId } } });
  });

  it("answers ListQueues at / by GET, and a batch's entries as successful and failed", async () => {
    const { name, path } = await createQueue("accept-json-list");
    const listed = await getJson(`Action=ListQueues&QueueNamePrefix=${name}`);
    expect(parsed(listed).ListQueuesResponse.ListQueuesResult).toEqual({
      NextExclusiveStartQueueName: null,
      NextToken: null,
      queueUrls: [`${endpoint()}/000000000000/${name}`],
    });
    const batch = await postJson(
      { Action: "SendMessageBatch", "SendMessageBatchRequestEntry.1.Id": "ok", "SendMessageBatchRequestEntry.1.MessageBody": "x", "SendMessageBatchRequestEntry.2.Id": "bad", "SendMessageBatchRequestEntry.2.MessageBody": "\u0001" },
      path,
    );
    const result = parsed(batch).SendMessageBatchResponse.SendMessageBatchResult;
    expect(result.successful).toEqual([expect.objectContaining({ Id: "ok", MD5OfMessageAttributes: null, SequenceNumber: null })]);
    expect(result.failed).toEqual([expect.objectContaining({ Id: "bad", Code: "InvalidMessageContents", SenderFault: true })]);
  });

  it("answers errors in JSON with the Query code, as SQS does", async () => {
    const missing = await postJson({ Action: "GetQueueUrl", QueueName: uniqueName("nope") });
    expect(missing.status).toBe(400);
    expect(missing.type).toBe("application/json");
    expect(missing.body).toBe(
      '{"Error":{"Code":"AWS.SimpleQueueService.NonExistentQueue","Message":"The specified queue does not exist for this wsdl version.","Type":"Sender"},' +
        `"RequestId":"${missing.requestId}"}`,
    );
  });

  it("answers a request that names no Action in XML, whatever it accepts", async () => {
    const { path } = await createQueue("accept-json-no-action");
    for (const got of [await getJson("", path), await postJson({ MessageBody: "no action" }, path)]) {
      expect(got.status, got.body).toBe(404);
      expect(got.type).toBe("text/xml");
      expect(got.body).toBe('<?xml version="1.0"?><UnknownOperationException/>');
    }
    const atRoot = await postJson({ Version: "2012-11-05" });
    expect(atRoot.status).toBe(400);
    expect(atRoot.type).toBe("text/xml");
    expect(atRoot.body).toContain("<Code>MissingAction</Code>");
  });
});

describe("malformed Query requests", () => {
  it("rejects bad percent-encoding with MalformedQueryString", async () => {
    expectError(await post("Action=ListQueues&QueueNamePrefix=%ZZ"), 400, "MalformedQueryString");
    expectError(await post("Action=ListQueues&QueueNamePrefix=%E2%82"), 400, "MalformedQueryString");
    expectError(await get("Action=ListQueues&QueueNamePrefix=100%"), 400, "MalformedQueryString");
  });

  it("rejects a request without an Action with MissingAction", async () => {
    const empty = await post("");
    expectError(empty, 400, "MissingAction");
    expect(empty.body).toBe(errorXml(empty, "Sender", "MissingAction", "The request must contain the parameter Action."));
    expectError(await get("Version=2012-11-05"), 400, "MissingAction");
  });

  it("answers a GET of a queue URL without an Action with a 404 UnknownOperationException", async () => {
    const { url } = await createQueue("no-action");
    for (const request of [signedFetch(url), signedFetch(`${endpoint()}/000000000000/some-queue`)]) {
      const got = await answer(await request);
      expect(got.status, got.body).toBe(404);
      expect(got.type).toBe("text/xml");
      expect(got.body).toContain("<UnknownOperationException");
    }
  });

  it("rejects CreateQueue and ListQueues at a queue URL with InvalidAction", async () => {
    const { path } = await createQueue("queue-endpoint");
    for (const action of ["CreateQueue", "ListQueues"]) {
      const got = await get(`Action=${action}&QueueName=${uniqueName("q")}`, path);
      expectError(got, 400, "InvalidAction");
      expect(got.body).toBe(errorXml(got, "Sender", "InvalidAction", `The action ${action} is not valid for this endpoint.`));
      expectError(await post({ Action: action, QueueName: uniqueName("q") }, path), 400, "InvalidAction");
    }
    // The queue's own actions are served there.
    expect((await get("Action=GetQueueAttributes&AttributeName.1=All", path)).status).toBe(200);
  });

  it("rejects an unknown Action with InvalidAction", async () => {
    const unknown = await post({ Action: "Frobnicate", Version: "2012-11-05" });
    expectError(unknown, 400, "InvalidAction");
    expect(unknown.body).toBe(errorXml(unknown, "Sender", "InvalidAction", "The action Frobnicate is not valid for this endpoint."));
    expectError(await post({ Action: "<script>" }), 400, "InvalidAction");
  });

  it("rejects any Version but 2012-11-05 with NoSuchVersion", async () => {
    const old = await post({ Action: "ListQueues", Version: "2009-02-01" });
    expectError(old, 400, "NoSuchVersion");
    expect(element(old.body, "Message")).toBe("The requested version (2009-02-01) of service AmazonSQS does not exist.");
  });

  it("rejects gaps and bad indices in flattened lists and maps with InvalidParameterValue", async () => {
    const name = uniqueName("gaps");
    const gap = await post({
      Action: "CreateQueue",
      QueueName: name,
      "Attribute.1.Name": "DelaySeconds",
      "Attribute.1.Value": "1",
      "Attribute.3.Name": "VisibilityTimeout",
      "Attribute.3.Value": "5",
    });
    expectError(gap, 400, "InvalidParameterValue");
    expect(element(gap.body, "Message")).toBe(
      "Value Attribute.3 for parameter Attribute is invalid. Reason: Attribute.2 is missing; list entries must be numbered from 1 without gaps.",
    );
    const { path } = await createQueue("gaps");
    expectError(await post({ Action: "GetQueueAttributes", "AttributeName.2": "All" }, path), 400, "InvalidParameterValue");
    expectError(await post({ Action: "GetQueueAttributes", "AttributeName.0": "All" }, path), 400, "InvalidParameterValue");
    expectError(await post({ Action: "GetQueueAttributes", "AttributeName.x": "All" }, path), 400, "InvalidParameterValue");
    expectError(
      await post({ Action: "SendMessageBatch", "SendMessageBatchRequestEntry.2.Id": "a", "SendMessageBatchRequestEntry.2.MessageBody": "b" }, path),
      400,
      "InvalidParameterValue",
    );
  });

  it("rejects a malformed base64 blob with InvalidParameterValue, in a message, a batch entry and system attributes", async () => {
    const { path } = await createQueue("bad-blob");
    for (const blob of ["QQ=", "QUJD=", "A===", "ab$c"]) {
      expectError(
        await post({ Action: "SendMessage", MessageBody: "b", "MessageAttribute.1.Name": "a", "MessageAttribute.1.Value.DataType": "Binary", "MessageAttribute.1.Value.BinaryValue": blob }, path),
        400,
        "InvalidParameterValue",
      );
      const entry = "SendMessageBatchRequestEntry.1";
      expectError(
        await post({ Action: "SendMessageBatch", [`${entry}.Id`]: "x", [`${entry}.MessageBody`]: "b", [`${entry}.MessageAttribute.1.Name`]: "a", [`${entry}.MessageAttribute.1.Value.DataType`]: "Binary", [`${entry}.MessageAttribute.1.Value.BinaryValue`]: blob }, path),
        400,
        "InvalidParameterValue",
      );
      expectError(
        await post({ Action: "SendMessage", MessageBody: "b", "MessageSystemAttribute.1.Name": "AWSTraceHeader", "MessageSystemAttribute.1.Value.DataType": "Binary", "MessageSystemAttribute.1.Value.BinaryValue": blob }, path),
        400,
        "InvalidParameterValue",
      );
    }
  });

  it("rejects incomplete map entries and missing parameters with MissingParameter", async () => {
    const { path } = await createQueue("incomplete");
    const noValue = await post({ Action: "SetQueueAttributes", "Attribute.1.Name": "DelaySeconds" }, path);
    expectError(noValue, 400, "MissingParameter");
    expect(element(noValue.body, "Message")).toBe("The request must contain the parameter Attribute.1.Value.");
    expectError(await post({ Action: "SendMessage", MessageBody: "no queue" }), 400, "MissingParameter");
    expectError(await post({ Action: "ReceiveMessage", MaxNumberOfMessages: "ten" }, path), 400, "InvalidParameterValue");
  });
});
