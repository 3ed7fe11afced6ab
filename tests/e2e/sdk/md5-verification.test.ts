import { describe, expect, it } from "vitest";
import { SluiceClient } from "../../../sdk/client.js";
import { ChecksumMismatchError, SluiceError } from "../../../sdk/errors.js";
import type { FetchLike } from "../../../sdk/types.js";
import { json, scriptedFetch } from "./fake-fetch.js";

const queueUrl = "http://sluice.test/000000000000/q";
const HELLO_MD5 = "5d41402abc4b2a76b9719d911017c592";
// A vector AWS recorded: {"Foo":{"DataType":"String","StringValue":"Bar"}}
const FOO_BAR_MD5 = "ae7155c6026991b6d54b11589678bf9c";
const WRONG = "00000000000000000000000000000000";

const client = (fetch: FetchLike, verifyMd5?: boolean) =>
  new SluiceClient({ endpoint: "http://sluice.test", fetch, verifyMd5 });

async function mismatch(promise: Promise<unknown>): Promise<ChecksumMismatchError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ChecksumMismatchError);
  expect(error).toBeInstanceOf(SluiceError);
  expect((error as SluiceError).code).toBe("ChecksumMismatch");
  return error as ChecksumMismatchError;
}

describe("MD5 verification", () => {
  it("rejects a send whose body MD5 does not match", async () => {
    const { fetch } = scriptedFetch(() => json(200, { MessageId: "m1", MD5OfMessageBody: WRONG }));
    const error = await mismatch(client(fetch).sendMessage({ queueUrl, body: "hello" }));
    expect(error).toMatchObject({ expected: HELLO_MD5, actual: WRONG });
  });

  it("rejects a send whose attributes MD5 is wrong or missing", async () => {
    const attributes = { Foo: { dataType: "String", stringValue: "Bar" } };
    const wrong = scriptedFetch(() =>
      json(200, { MessageId: "m1", MD5OfMessageBody: HELLO_MD5, MD5OfMessageAttributes: WRONG }),
    );
    await mismatch(client(wrong.fetch).sendMessage({ queueUrl, body: "hello", attributes }));
    const missing = scriptedFetch(() => json(200, { MessageId: "m1", MD5OfMessageBody: HELLO_MD5 }));
    await mismatch(client(missing.fetch).sendMessage({ queueUrl, body: "hello", attributes }));
  });

  it("accepts matching MD5s", async () => {
    const { fetch } = scriptedFetch(() =>
      json(200, { MessageId: "m1", MD5OfMessageBody: HELLO_MD5, MD5OfMessageAttributes: FOO_BAR_MD5 }),
    );
    const sent = await client(fetch).sendMessage({
      queueUrl,
      body: "hello",
      attributes: { Foo: { dataType: "String", stringValue: "Bar" } },
    });
    expect(sent).toMatchObject({ messageId: "m1", md5OfBody: HELLO_MD5, md5OfAttributes: FOO_BAR_MD5 });
  });

  it("checks every successful entry of a batch", async () => {
    const { fetch } = scriptedFetch(() =>
      json(200, {
        Successful: [
          { Id: "a", MessageId: "m1", MD5OfMessageBody: HELLO_MD5 },
          { Id: "b", MessageId: "m2", MD5OfMessageBody: WRONG },
        ],
        Failed: [],
      }),
    );
    const entries = [
      { id: "a", body: "hello" },
      { id: "b", body: "hello" },
    ];
    const error = await mismatch(client(fetch).sendMessageBatch({ queueUrl, entries }));
    expect(error.message).toContain("batch entry b");
  });

  it("rejects a received message whose body or attributes MD5 does not match", async () => {
    const message = { MessageId: "m1", ReceiptHandle: "h", Body: "hello", MD5OfBody: WRONG };
    const body = scriptedFetch(() => json(200, { Messages: [message] }));
    await mismatch(client(body.fetch).receiveMessage({ queueUrl }));
    const attributes = scriptedFetch(() =>
      json(200, {
        Messages: [
          {
            ...message,
            MD5OfBody: HELLO_MD5,
            MessageAttributes: { Foo: { DataType: "String", StringValue: "Baz" } },
            MD5OfMessageAttributes: FOO_BAR_MD5,
          },
        ],
      }),
    );
    await mismatch(client(attributes.fetch).receiveMessage({ queueUrl }));
  });

  it("decodes binary attributes before hashing them", async () => {
    // A vector AWS recorded: Binary "traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01"
    const bytes = new TextEncoder().encode("traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01");
    const { fetch } = scriptedFetch(() =>
      json(200, {
        Messages: [
          {
            MessageId: "m1",
            ReceiptHandle: "h",
            Body: "hello",
            MD5OfBody: HELLO_MD5,
            MessageAttributes: { attr1: { DataType: "Binary", BinaryValue: btoa(String.fromCharCode(...bytes)) } },
            MD5OfMessageAttributes: "8cbe4db156db8a94db8b801b7addb984",
          },
        ],
      }),
    );
    const { messages } = await client(fetch).receiveMessage({ queueUrl });
    expect(messages[0]!.attributes.attr1).toEqual({ dataType: "Binary", binaryValue: bytes });
  });

  it("can be turned off", async () => {
    const { fetch } = scriptedFetch(() => json(200, { MessageId: "m1", MD5OfMessageBody: WRONG }));
    await expect(client(fetch, false).sendMessage({ queueUrl, body: "hello" })).resolves.toMatchObject({
      messageId: "m1",
    });
  });
});
