/** worker/request-body.ts: a body that ends early or grows too large is an SqsError, not a crash. */
import { describe, expect, it } from "vitest";
import { SqsError } from "../../sdk/protocol/index.js";
import { bodyText, MAX_REQUEST_BODY_BYTES, readRequestBody } from "../../worker/request-body.js";

function streamed(chunks: Uint8Array[], endWith?: Error): ReadableStream<Uint8Array> {
  return new ReadableStream({
    pull(controller) {
      const next = chunks.shift();
      if (next) controller.enqueue(next);
      else if (endWith) controller.error(endWith);
      else controller.close();
    },
  });
}

const post = (body: ReadableStream<Uint8Array>) => new Request("http://sluice.test/", { method: "POST", body });

describe("readRequestBody", () => {
  it("reads a whole body", async () => {
    const body = await readRequestBody(post(streamed([new Uint8Array([1, 2]), new Uint8Array([3])])));
    expect([...body]).toEqual([1, 2, 3]);
  });

  it("answers a body that breaks off (the client went away) with MalformedInput", async () => {
    const error = await readRequestBody(post(streamed([new Uint8Array([1, 2])], new Error("connection closed")))).catch((e) => e);
    expect(error).toBeInstanceOf(SqsError);
    expect((error as SqsError).code).toBe("MalformedInput");
  });

  it("refuses a chunked body once it passes the cap, without reading the rest", async () => {
    const chunk = new Uint8Array(1024 * 1024);
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(chunk);
      },
    });
    const error = await readRequestBody(post(endless)).catch((e) => e);
    expect((error as SqsError).code).toBe("InvalidParameterValue");
    expect(pulled).toBeLessThan(MAX_REQUEST_BODY_BYTES / chunk.byteLength + 4);
  });

  it("reads UTF-8 text, and refuses bytes that are not UTF-8 rather than replace them", () => {
    expect(bodyText(new TextEncoder().encode("Action=SendMessage&MessageBody=✓"))).toBe("Action=SendMessage&MessageBody=✓");
    for (const bytes of [[0xff], [0x61, 0xc3], [0xed, 0xa0, 0x80], [0xc0, 0xaf]]) {
      const error = (() => {
        try {
          return bodyText(new Uint8Array(bytes));
        } catch (e) {
          return e;
        }
      })();
      expect(error, `bytes ${bytes.join(",")}`).toBeInstanceOf(SqsError);
      expect((error as SqsError).code).toBe("MalformedInput");
    }
  });
});
