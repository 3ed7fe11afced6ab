/**
 * The hostile sweep's requests (hostile-sweep.test.ts): what a careless or malicious client can
 * send `npm start`, by protocol. Raw cases are bytes for a bare socket (framing, methods, targets
 * and Hosts no HTTP client would send); the others are signed requests with bodies and
 * parameters of the wrong type, size, depth or encoding, to the JSON 1.0, Query and REST APIs.
 */
import { head } from "../raw-http.js";

export type RawCase = [name: string, raw: string | Buffer, options?: { halfClose?: boolean }];

/** Requests for a bare socket to 127.0.0.1:`port`; `queuePath` is an existing queue's URL path. */
export function rawCases(port: number, queuePath: string): RawCase[] {
  const host = `Host: 127.0.0.1:${port}`;
  const form = "Content-Type: application/x-www-form-urlencoded";
  const close = "Connection: close";
  const get = (target: string, ...lines: string[]) => head([`GET ${target} HTTP/1.1`, host, ...lines, close]);
  const big = Buffer.alloc(10 * 1024 * 1024, "a");
  return [
    ["GET //", get("//")],
    ["GET //x/y (no host named x)", get("//x/y")],
    ["absolute-form target", get(`http://127.0.0.1:${port}/v1/queues`)],
    ["absolute-form target with a broken host", get("http://[bad/")],
    ["asterisk target", head(["OPTIONS * HTTP/1.1", host, close])],
    ["TRACE /", head(["TRACE / HTTP/1.1", host, close])],
    ["TRACE at a queue URL", head([`TRACE ${queuePath} HTTP/1.1`, host, close])],
    ["TRACE /v1/queues", head(["TRACE /v1/queues HTTP/1.1", host, close])],
    ["TRACE /v1/nowhere", head(["TRACE /v1/nowhere HTTP/1.1", host, close])],
    ["TRACE with a JSON target", head(["TRACE / HTTP/1.1", host, "X-Amz-Target: AmazonSQS.ListQueues", close])],
    ["TRACK", head(["TRACK / HTTP/1.1", host, close])],
    ["CONNECT authority", head(["CONNECT 127.0.0.1:443 HTTP/1.1", host])],
    ["CONNECT path", head(["CONNECT / HTTP/1.1", host])],
    ["CONNECT to a REST path with a broken escape", head(["CONNECT /v1/%ZZ HTTP/1.1", host])],
    ["TRACE to a REST path with a broken escape", head(["TRACE /v1/%ZZ HTTP/1.1", host, close])],
    ["PROPFIND", head(["PROPFIND / HTTP/1.1", host, close])],
    ["PUT /v1/queues", head(["PUT /v1/queues HTTP/1.1", host, "Content-Length: 0", close])],
    ["empty Host", head(["GET / HTTP/1.1", "Host: ", close])],
    ["Host with a space", head(["GET / HTTP/1.1", "Host: a b", close])],
    ["Host with an open bracket", head(["GET / HTTP/1.1", "Host: [::1", close])],
    ["Host with port 99999", head(["GET / HTTP/1.1", "Host: 127.0.0.1:99999", close])],
    ["Host with userinfo", head(["GET / HTTP/1.1", "Host: user@127.0.0.1", close])],
    ["Host with a path", head(["GET / HTTP/1.1", "Host: 127.0.0.1/evil", close])],
    ["HTTP/1.0 without Host", head(["GET / HTTP/1.0"])],
    ["header value with bytes past ASCII", get("/", "X-Foo: \xff\xfe")],
    ["websocket upgrade", get("/", "Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13")],
    ["h2c upgrade", head(["GET / HTTP/1.1", host, "Connection: Upgrade, HTTP2-Settings", "Upgrade: h2c", "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA"])],
    ["HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"],
    ["TLS hello", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"],
    ["header without a colon", head(["GET / HTTP/1.1", host, "Bogus"])],
    ["3000 headers", head(["GET / HTTP/1.1", host, ...Array.from({ length: 3000 }, (_, i) => `X-H${i}: v`), close])],
    ["20 kB header", get("/", `X-Big: ${"a".repeat(20_000)}`)],
    ["NUL in a header", get("/", "X-A: a\x00b")],
    ["NUL in the path", get("/a\x00b")],
    ["raw UTF-8 in the path", get("/000000000000/\xe2\x9c\x93")],
    ["raw 0xFF in a REST path", get("/v1/queues/\xff")],
    ["backslashes in the path", get("/\\\\evil")],
    ["dot segments", get("/v1/queues/../../x")],
    ["15 kB path", get(`/${"a".repeat(15_000)}`)],
    ["15 kB query string", get(`/?Action=ListQueues&x=${"a".repeat(15_000)}`)],
    ["1900 headers", get("/", ...Array.from({ length: 1900 }, (_, i) => `X${i}:`))],
    ["latin1 header value", get("/", "X-A: caf\xe9")],
    ["header name with braces", get("/", "X-A{}: b")],
    ["Authorization of bytes past ASCII", get("/", "Authorization: AWS4-HMAC-SHA256 \xff\xfe")],
    [
      "presigned query of garbage",
      get("/?Action=ListQueues&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=%FF&X-Amz-Date=x&X-Amz-Expires=99999999999999999999&X-Amz-SignedHeaders=host&X-Amz-Signature=zz"),
    ],
    ["presigned query with a broken escape", get("/?Action=ListQueues&X-Amz-Credential=%E0%A4%A")],
    ["HEAD", head(["HEAD / HTTP/1.1", host, close])],
    ["CORS preflight", head(["OPTIONS /v1/queues HTTP/1.1", host, "Origin: http://x", "Access-Control-Request-Method: POST", close])],
    ["Query accepting JSON", get("/?Action=ListQueues", "Accept: application/json")],
    ["content type of bytes past ASCII", head(["POST / HTTP/1.1", host, "Content-Type: \xff/\xff", "Content-Length: 0", close])],
    ["chunk size not hex", head(["POST / HTTP/1.1", host, form, "Transfer-Encoding: chunked"]) + "zz\r\nab\r\n0\r\n\r\n"],
    ["chunked body cut off", head(["POST / HTTP/1.1", host, form, "Transfer-Encoding: chunked"]) + "10\r\nab", { halfClose: true }],
    ["Transfer-Encoding and Content-Length", head(["POST / HTTP/1.1", host, form, "Transfer-Encoding: chunked", "Content-Length: 3"]) + "0\r\n\r\n"],
    ["body shorter than Content-Length, half-closed", head(["POST / HTTP/1.1", host, form, "Content-Length: 100"]) + "ab", { halfClose: true }],
    ["Content-Length not a number", head(["POST / HTTP/1.1", host, form, "Content-Length: abc"]) + "ab"],
    ["negative Content-Length", head(["POST / HTTP/1.1", host, form, "Content-Length: -5"]) + "ab"],
    ["two Content-Lengths", head(["POST / HTTP/1.1", host, form, "Content-Length: 2", "Content-Length: 5"]) + "ab"],
    ["Content-Length of 20 digits", head(["POST / HTTP/1.1", host, form, "Content-Length: 99999999999999999999"]) + "ab", { halfClose: true }],
    ["Content-Length of 1e15, half-closed", head(["POST / HTTP/1.1", host, form, "Content-Length: 1000000000000000"]) + "ab", { halfClose: true }],
    ["Expect: 100-continue", head(["POST / HTTP/1.1", host, form, "Expect: 100-continue", "Content-Length: 2", close]) + "ab"],
    ["Expect: something else", head(["POST / HTTP/1.1", host, form, "Expect: fancy", "Content-Length: 2", close]) + "ab"],
    ["a request, then garbage on the same connection", head(["GET /?Action=ListQueues HTTP/1.1", host]) + "\x16\x03\x01garbage\r\n\r\n"],
    ["a request, then a 20 kB header on the same connection", head(["GET /?Action=ListQueues HTTP/1.1", host]) + head(["GET / HTTP/1.1", host, `X-Big: ${"a".repeat(20_000)}`])],
    ["three pipelined, a TRACE between", head(["GET /?Action=ListQueues HTTP/1.1", host]) + head(["TRACE / HTTP/1.1", host]) + head(["GET / HTTP/1.1", host, close])],
    ["10 MiB, declared", Buffer.concat([Buffer.from(head([`POST ${queuePath} HTTP/1.1`, host, form, `Content-Length: ${big.length}`, close])), big])],
    [
      "10 MiB, chunked",
      Buffer.concat([
        Buffer.from(head([`POST ${queuePath} HTTP/1.1`, host, form, "Transfer-Encoding: chunked", close])),
        Buffer.from(`${big.length.toString(16)}\r\n`),
        big,
        Buffer.from("\r\n0\r\n\r\n"),
      ]),
    ],
    ["4.5 MiB REST body, declared", Buffer.concat([Buffer.from(head(["POST /v1/queues HTTP/1.1", host, "Content-Type: application/json", `Content-Length: ${4.5 * 1024 * 1024}`, close])), Buffer.alloc(4.5 * 1024 * 1024, "a")])],
  ];
}

export interface SignedCase {
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

const nest = (n: number) => "[".repeat(n) + "]".repeat(n);
const deep = (n: number) => '{"a":'.repeat(n) + "1" + "}".repeat(n);
const notUtf8 = (before: string, after = "") => Buffer.concat([Buffer.from(before), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(after)]);

/** Signed requests with hostile contents. `queue` is an existing standard queue's name, `url` its URL. */
export function signedCases(origin: string, queue: string): SignedCase[] {
  const url = `${origin}/000000000000/${queue}`;
  const fifoUrl = `${url}.fifo`;
  const json = (target: string, body: unknown): SignedCase => ({
    name: `JSON ${target} ${typeof body === "string" ? body.slice(0, 40) : JSON.stringify(body).slice(0, 60)}`,
    method: "POST",
    path: "/",
    headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": `AmazonSQS.${target}` },
    body: typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
  const query = (params: string | Buffer, path = "/"): SignedCase => ({
    name: `Query ${path} ${params.toString().slice(0, 60)}`,
    method: "POST",
    path,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: params,
  });
  const rest = (method: string, path: string, body?: unknown): SignedCase => ({
    name: `REST ${method} ${path.slice(0, 60)} ${body === undefined ? "" : String(typeof body === "string" ? body : JSON.stringify(body)).slice(0, 40)}`,
    method,
    path,
    headers: { "content-type": "application/json" },
    ...(body !== undefined && { body: typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body) }),
  });
  const q = encodeURIComponent(url);
  const handleOf = (text: string) => Buffer.from(text).toString("base64");
  return [
    // JSON 1.0
    json("SendMessage", "{"),
    json("SendMessage", "[]"),
    json("SendMessage", "null"),
    json("SendMessage", nest(100_000)),
    json("SendMessage", deep(100_000)),
    json("SendMessage", `{"QueueUrl":${nest(50_000)},"MessageBody":"a"}`),
    json("SendMessage", `{"QueueUrl":"${url}","MessageBody":${deep(50_000)}}`),
    json("SendMessage", notUtf8(`{"QueueUrl":"${url}","MessageBody":"`, '"}')),
    json("SendMessage", { QueueUrl: 5, MessageBody: "a" }),
    json("SendMessage", { QueueUrl: "http://[", MessageBody: "a" }),
    json("SendMessage", { QueueUrl: url + "x".repeat(100_000), MessageBody: "a" }),
    json("SendMessage", { QueueUrl: `${origin}/${"9".repeat(99)}/${queue}`, MessageBody: "a" }),
    json("SendMessage", { QueueUrl: url, MessageBody: "a", DelaySeconds: 1e300 }),
    json("SendMessage", `{"QueueUrl":"${url}","MessageBody":"a","DelaySeconds":1e400}`),
    json("SendMessage", { QueueUrl: url, MessageBody: "a", DelaySeconds: 9007199254740993 }),
    json("SendMessage", `{"QueueUrl":"${url}","MessageBody":"\\udc00"}`),
    json("SendMessage", { QueueUrl: url, MessageBody: "x".repeat(3_000_000) }),
    json("SendMessage", { QueueUrl: url, MessageBody: "a", MessageAttributes: { a: { DataType: "Number", StringValue: "1e999" } } }),
    json("SendMessage", { QueueUrl: url, MessageBody: "a", MessageAttributes: { a: { DataType: "Binary", BinaryValue: "!!!" } } }),
    json("SendMessage", `{"QueueUrl":"${url}","MessageBody":"a","MessageAttributes":{"__proto__":{"DataType":"String","StringValue":"x"}}}`),
    json("SendMessage", { QueueUrl: url, MessageBody: "a", MessageAttributes: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`a${i}`, { DataType: "String", StringValue: "x" }])) }),
    json("SendMessage", { QueueUrl: url, MessageBody: "a", MessageSystemAttributes: { AWSTraceHeader: { DataType: "Binary", BinaryValue: "AA==" } } }),
    json("SendMessage", { QueueUrl: fifoUrl, MessageBody: "a", MessageGroupId: "g".repeat(100_000), MessageDeduplicationId: "d" }),
    json("SendMessageBatch", { QueueUrl: url, Entries: Array.from({ length: 1000 }, (_, i) => ({ Id: `i${i}`, MessageBody: "a" })) }),
    json("SendMessageBatch", { QueueUrl: url, Entries: [null, 5] }),
    json("SendMessageBatch", { QueueUrl: url, Entries: { a: 1 } }),
    json("ReceiveMessage", { QueueUrl: url, MaxNumberOfMessages: 1e300, WaitTimeSeconds: 1e20 }),
    json("ReceiveMessage", { QueueUrl: url, VisibilityTimeout: -5 }),
    json("ReceiveMessage", { QueueUrl: url, AttributeNames: ["Bogus"], MessageAttributeNames: ["a".repeat(1000), ".x", "x..y"] }),
    json("ReceiveMessage", { QueueUrl: fifoUrl, ReceiveRequestAttemptId: "x".repeat(100_000) }),
    json("DeleteMessage", { QueueUrl: url, ReceiptHandle: "garbage" }),
    json("DeleteMessage", { QueueUrl: url, ReceiptHandle: "" }),
    json("DeleteMessage", { QueueUrl: url, ReceiptHandle: handleOf('{"a":1}') }),
    json("DeleteMessage", { QueueUrl: url, ReceiptHandle: "A".repeat(1_000_000) }),
    json("DeleteMessage", { QueueUrl: url, ReceiptHandle: "✓\u0000\uffff" }),
    json("ChangeMessageVisibility", { QueueUrl: url, ReceiptHandle: "garbage", VisibilityTimeout: 1e300 }),
    json("ChangeMessageVisibilityBatch", { QueueUrl: url, Entries: [{ Id: "a", ReceiptHandle: "x", VisibilityTimeout: 5 }, { Id: "b", ReceiptHandle: "", VisibilityTimeout: -1 }] }),
    json("DeleteMessageBatch", { QueueUrl: url, Entries: [{ Id: "a", ReceiptHandle: "x" }, { Id: "b", ReceiptHandle: "A".repeat(10_000) }] }),
    json("ListQueues", { NextToken: "garbage!!" }),
    json("ListQueues", { NextToken: handleOf("\u0000\uffff junk"), MaxResults: 5 }),
    json("ListQueues", { MaxResults: 1e300 }),
    json("ListDeadLetterSourceQueues", { QueueUrl: url, NextToken: "%%%", MaxResults: 5 }),
    json("CancelMessageMoveTask", { TaskHandle: "garbage" }),
    json("CancelMessageMoveTask", { TaskHandle: handleOf('{"taskId":5,"sourceArn":{}}') }),
    json("CancelMessageMoveTask", { TaskHandle: handleOf("null") }),
    json("CancelMessageMoveTask", { TaskHandle: handleOf('{"taskId":"x","sourceArn":"arn:::::::::"}') }),
    json("CancelMessageMoveTask", { TaskHandle: handleOf('{"taskId":"x","sourceArn":"arn:aws:sqs:us-east-1:000000000000:✓"}') }),
    json("StartMessageMoveTask", { SourceArn: "garbage" }),
    json("StartMessageMoveTask", { SourceArn: `arn:aws:sqs:us-east-1:000000000000:${queue}`, MaxNumberOfMessagesPerSecond: 1e300 }),
    json("ListMessageMoveTasks", { SourceArn: `arn:aws:sqs:us-east-1:000000000000:${queue}`, MaxResults: 1e300 }),
    json("SetQueueAttributes", { QueueUrl: url, Attributes: { VisibilityTimeout: "1e300", MaximumMessageSize: "99999999999999999999999" } }),
    json("SetQueueAttributes", { QueueUrl: url, Attributes: { RedrivePolicy: deep(50_000) } }),
    json("SetQueueAttributes", { QueueUrl: url, Attributes: { RedrivePolicy: '{"deadLetterTargetArn":5,"maxReceiveCount":"1e999"}' } }),
    json("SetQueueAttributes", { QueueUrl: url, Attributes: { RedriveAllowPolicy: '{"redrivePermission":"byQueue","sourceQueueArns":"x"}' } }),
    // Policies AddPermission could not read back: refused, so the AddPermission below works.
    json("SetQueueAttributes", { QueueUrl: url, Attributes: { Policy: '{"Statement":[null]}' } }),
    json("SetQueueAttributes", { QueueUrl: url, Attributes: { Policy: `{"Statement":[],"Id":${deep(100_000)}}` } }),
    json("SetQueueAttributes", { QueueUrl: url, Attributes: { Policy: "null" } }),
    json("AddPermission", { QueueUrl: url, Label: "sweep", AWSAccountIds: ["111111111111"], Actions: ["SendMessage"] }),
    json("RemovePermission", { QueueUrl: url, Label: "nope" }),
    json("AddPermission", { QueueUrl: url, Label: "l", AWSAccountIds: Array.from({ length: 1000 }, () => "111111111111"), Actions: Array.from({ length: 1000 }, () => "SendMessage") }),
    json("GetQueueAttributes", { QueueUrl: url, AttributeNames: ["Bogus", "All"] }),
    json("CreateQueue", { QueueName: "✓" }),
    json("CreateQueue", { QueueName: "sweep-attrs", Attributes: { FifoQueue: "maybe", Bogus: "1" } }),
    json("TagQueue", { QueueUrl: url, Tags: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, "v"])) }),
    json("UntagQueue", { QueueUrl: url, TagKeys: ["x".repeat(100_000)] }),
    json("Bogus", {}),
    // Query
    query(""),
    query("%%%"),
    query("Action=ListQueues&Version=1"),
    query(notUtf8("Action=SendMessage&MessageBody=a"), `/000000000000/${queue}`),
    query(notUtf8("Action=SendMessage&MessageBody=a&", "=1"), `/000000000000/${queue}`),
    query("Action=SendMessage&MessageBody=%FF", `/000000000000/${queue}`),
    query("Action=SendMessage&MessageBody=%ED%A0%80", `/000000000000/${queue}`),
    query("Action=ListQueues", `/000000000000/${queue}`),
    query("MessageBody=no-action", `/000000000000/${queue}`),
    query(`Action=GetQueueAttributes&QueueUrl=${q}&AttributeName.99999999999999999999=All`),
    query(`Action=GetQueueAttributes&QueueUrl=${q}&AttributeName.0=All`),
    query(`Action=SetQueueAttributes&QueueUrl=${q}&Attribute.1.Name=VisibilityTimeout`),
    query(`Action=SetQueueAttributes&QueueUrl=${q}&Attribute.1.Name=Policy&Attribute.1.Value=${encodeURIComponent('{"Statement":[5]}')}`),
    query(`Action=ListQueues&${Array.from({ length: 50_000 }, (_, i) => `p${i}=1`).join("&")}`),
    query(`Action=ListQueues&${"a.".repeat(50_000)}b=1`),
    query(`Action=SendMessage&QueueUrl=${q}&MessageBody=a&DelaySeconds=99999999999999999999999`),
    query(`Action=ReceiveMessage&QueueUrl=${q}&WaitTimeSeconds=999999999999999999999`),
    // REST
    rest("POST", "/v1/queues", ""),
    rest("POST", "/v1/queues", "{"),
    rest("POST", "/v1/queues", "[]"),
    rest("POST", "/v1/queues", notUtf8('{"name":"', '"}')),
    rest("POST", "/v1/queues", { name: 5 }),
    rest("POST", "/v1/queues", `{"name":${nest(100_000)}}`),
    rest("POST", "/v1/queues", `{"name":"sweep-r1","attributes":{"RedrivePolicy":${deep(50_000)}}}`),
    rest("POST", "/v1/queues", `{"name":"sweep-r2","attributes":{"VisibilityTimeout":1e400}}`),
    rest("POST", "/v1/queues", `{"name":"sweep-r3","attributes":{"Policy":{"Statement":[null]}}}`),
    rest("POST", "/v1/queues", `{"name":"sweep-r4","__proto__":{"x":1}}`),
    rest("POST", "/v1/queues", { name: "x".repeat(100_000) }),
    rest("GET", "/v1/queues?limit=99999999999999999999999"),
    rest("GET", "/v1/queues?cursor=%%%"),
    rest("GET", "/v1/queues?cursor=AAAA"),
    rest("GET", "/v1/queues?limit=1&limit=2"),
    rest("GET", "/v1/queues/%ZZ"),
    rest("GET", "/v1/queues/%2F"),
    rest("GET", "/v1/queues/%FF%FE"),
    rest("GET", `/v1/queues/${"x".repeat(10_000)}`),
    rest("PATCH", `/v1/queues/${queue}`, { attributes: { VisibilityTimeout: "abc" } }),
    rest("PATCH", `/v1/queues/${queue}`, `{"attributes":{"Policy":${deep(50_000)}}}`),
    rest("PATCH", `/v1/queues/${queue}`, "{{"),
    rest("POST", `/v1/queues/${queue}/messages`, `{"body":${nest(100_000)}}`),
    rest("POST", `/v1/queues/${queue}/messages`, { messages: [1, null] }),
    rest("POST", `/v1/queues/${queue}/messages`, `{"body":"a","delaySeconds":1e400}`),
    rest("POST", `/v1/queues/${queue}/messages`, `{"body":"a","attributes":{"n":{"type":"Number","value":1e300}}}`),
    rest("POST", `/v1/queues/${queue}/messages`, { body: "a", attributes: { b: { type: "Binary", value: "A" } } }),
    rest("GET", `/v1/queues/${queue}/messages?wait=99999999999999999999`),
    rest("GET", `/v1/queues/${queue}/messages?attemptId=${"x".repeat(5000)}`),
    rest("DELETE", `/v1/queues/${queue}/messages/junk`),
    rest("DELETE", `/v1/queues/${queue}/messages/%FF`),
    rest("DELETE", `/v1/queues/${queue}/messages/${"A".repeat(50_000)}`),
    rest("PATCH", `/v1/queues/${queue}/messages/junk`, `{"visibilityTimeout":1e400}`),
    rest("PATCH", `/v1/queues/${queue}/messages/junk`, `{"visibilityTimeout":99999999999999999999}`),
    rest("DELETE", `/v1/queues/${queue}/tags/${"k".repeat(10_000)}`),
    rest("PUT", "/v1/queues", {}),
    rest("HEAD", "/v1/queues"),
    rest("GET", "/v1//queues"),
    rest("POST", "/v1/openapi.json", {}),
    rest("TRACE", "/v1/queues"),
    { name: "TRACE / signed", method: "TRACE", path: "/", headers: {} },
    { name: "GET // signed", method: "GET", path: "//", headers: {} },
  ];
}
