/** The Query decoder and XML encoder on their own, without a queue behind them. */
import { describe, expect, it } from "vitest";
import { INPUT_SHAPES, SqsError } from "../../sdk/protocol/index.js";
import { decodeQuery } from "../../worker/protocol/query.js";
import { unflatten } from "../../worker/protocol/unflatten.js";
import { encodeXmlError, encodeXmlResult, escapeXml } from "../../worker/protocol/xml.js";

const QUEUE = "http://sqs.test/000000000000/q";

function form(body: string, url = "http://sqs.test/"): Request {
  return new Request(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
}

function decode(body: string, url?: string) {
  return decodeQuery(form(body, url), body);
}

describe("decodeQuery", () => {
  it("unflattens nested lists and maps into the canonical request", () => {
    const body = [
      "Action=SendMessageBatch",
      `QueueUrl=${encodeURIComponent(QUEUE)}`,
      "SendMessageBatchRequestEntry.1.Id=a",
      "SendMessageBatchRequestEntry.1.MessageBody=one+%2B+two",
      "SendMessageBatchRequestEntry.1.DelaySeconds=5",
      "SendMessageBatchRequestEntry.2.Id=b",
      "SendMessageBatchRequestEntry.2.MessageBody=x",
      "SendMessageBatchRequestEntry.2.MessageAttribute.1.Name=bin",
      "SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.DataType=Binary",
      "SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.BinaryValue=AAEC",
      "SendMessageBatchRequestEntry.2.MessageAttribute.2.Name=n",
      "SendMessageBatchRequestEntry.2.MessageAttribute.2.Value.DataType=Number",
      "SendMessageBatchRequestEntry.2.MessageAttribute.2.Value.StringValue=7",
    ].join("&");
    expect(decode(body)).toEqual({
      action: "SendMessageBatch",
      input: {
        QueueUrl: QUEUE,
        Entries: [
          { Id: "a", MessageBody: "one + two", DelaySeconds: 5 },
          {
            Id: "b",
            MessageBody: "x",
            MessageAttributes: {
              bin: { DataType: "Binary", BinaryValue: Uint8Array.of(0, 1, 2) },
              n: { DataType: "Number", StringValue: "7" },
            },
          },
        ],
      },
    });
  });

  it("reads botocore's empty-list marker as an empty list", () => {
    expect(decode(`Action=SendMessageBatch&QueueUrl=${QUEUE}&Entries=`).input).toEqual({ QueueUrl: QUEUE, Entries: [] });
  });

  it("keeps a map key such as __proto__ as an ordinary key", () => {
    const raw = unflatten(INPUT_SHAPES.TagQueue, new Map([["Tag.1.Key", "__proto__"], ["Tag.1.Value", "v"]]));
    const tags = raw.Tags as object;
    expect(Object.keys(tags)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(tags)).toBe(Object.prototype);
  });

  it("accepts MessageSystemAttributeName.N and MessageSystemAttributeNames.N for ReceiveMessage", () => {
    expect(decode(`Action=ReceiveMessage&QueueUrl=${QUEUE}&MessageSystemAttributeName.1=SenderId`).input).toMatchObject({
      MessageSystemAttributeNames: ["SenderId"],
    });
    expect(decode(`Action=ReceiveMessage&QueueUrl=${QUEUE}&MessageSystemAttributeNames.1=All`).input).toMatchObject({
      MessageSystemAttributeNames: ["All"],
    });
  });

  it("takes the queue URL from the path and the parameters from a GET query string", () => {
    const request = new Request(`${QUEUE}?Action=PurgeQueue&Version=2012-11-05`);
    expect(decodeQuery(request, "")).toEqual({ action: "PurgeQueue", input: { QueueUrl: QUEUE } });
    expect(decode("Action=DeleteQueue&QueueUrl=http%3A%2F%2Fother%2F000000000000%2Fz", QUEUE).input).toEqual({
      QueueUrl: "http://other/000000000000/z",
    });
  });

  it("rejects malformed requests with SQS errors", () => {
    const code = (body: string) => {
      try {
        decode(body);
      } catch (e) {
        return (e as SqsError).spec.queryCode;
      }
      return "no error";
    };
    expect(code("Version=2012-11-05")).toBe("MissingAction");
    expect(code("Action=ListQueues&Version=2008-01-01")).toBe("NoSuchVersion");
    expect(code("Action=Nope")).toBe("InvalidAction");
    expect(code("Action=ListQueues&QueueNamePrefix=%G0")).toBe("MalformedQueryString");
    expect(code(`Action=UntagQueue&QueueUrl=${QUEUE}&TagKey.2=a`)).toBe("InvalidParameterValue");
    expect(code(`Action=UntagQueue&QueueUrl=${QUEUE}&TagKey.01=a`)).toBe("InvalidParameterValue");
    expect(code(`Action=TagQueue&QueueUrl=${QUEUE}&Tag.1.Value=v`)).toBe("MissingParameter");
  });
});

describe("XML encoding", () => {
  it("escapes what XML parsers would alter and replaces what XML cannot carry", () => {
    expect(escapeXml("a&b<c>d\"e'f\r\n\tg😀")).toBe("a&amp;b&lt;c&gt;d\"e'f&#xD;\n\tg😀");
    expect(escapeXml("nul\u0000 esc\u001b lone\uD800 nonchar\uFFFE")).toBe("nul\uFFFD esc\uFFFD lone\uFFFD nonchar\uFFFD");
  });

  it("flattens lists and maps with the Query element names", async () => {
    const response = encodeXmlResult(
      "SendMessageBatch",
      {
        Successful: [{ Id: "a", MessageId: "m", MD5OfMessageBody: "x" }],
        Failed: [{ Id: "b", SenderFault: true, Code: "InvalidMessageContents", Message: "bad" }],
      },
      "r1",
    );
    expect(await response.text()).toBe(
      '<?xml version="1.0"?><SendMessageBatchResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><SendMessageBatchResult>' +
        "<SendMessageBatchResultEntry><Id>a</Id><MessageId>m</MessageId><MD5OfMessageBody>x</MD5OfMessageBody></SendMessageBatchResultEntry>" +
        "<BatchResultErrorEntry><Id>b</Id><SenderFault>true</SenderFault><Code>InvalidMessageContents</Code><Message>bad</Message></BatchResultErrorEntry>" +
        "</SendMessageBatchResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></SendMessageBatchResponse>",
    );
    const tags = await encodeXmlResult("ListQueueTags", { Tags: { k: "v" } }, "r2").text();
    expect(tags).toContain("<ListQueueTagsResult><Tag><Key>k</Key><Value>v</Value></Tag></ListQueueTagsResult>");
    const sources = await encodeXmlResult("ListDeadLetterSourceQueues", { queueUrls: ["u1", "u2"] }, "r3").text();
    expect(sources).toContain("<ListDeadLetterSourceQueuesResult><QueueUrl>u1</QueueUrl><QueueUrl>u2</QueueUrl></ListDeadLetterSourceQueuesResult>");
  });

  it("writes errors with the modeled status, fault and Query code", async () => {
    const response = encodeXmlError(new SqsError("InternalError", "boom <now>"), "r4");
    expect(response.status).toBe(500);
    expect(response.headers.get("x-amzn-requestid")).toBe("r4");
    expect(await response.text()).toBe(
      '<?xml version="1.0"?><ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Receiver</Type>' +
        "<Code>InternalError</Code><Message>boom &lt;now&gt;</Message><Detail/></Error><RequestId>r4</RequestId></ErrorResponse>",
    );
  });
});
