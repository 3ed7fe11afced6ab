/**
 * npm start's front (local/front.ts) on its own, over stand-ins for Miniflare's dispatchFetch
 * that fail on purpose: whatever goes wrong in the front, the client gets a well-formed answer
 * (a 500 with the request id the failure was logged under, for the front's own faults), or, once
 * an answer's status line is out, a connection closed before the answer looks complete.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { answerFailure, createFront, type Dispatch } from "../../../local/front.js";
import { SqsErrors } from "../../../sdk/protocol/index.js";
import { head, rawRequest } from "../raw-http.js";

interface Logged {
  message: string;
  error: unknown;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

async function front(dispatch: Dispatch, maxBodyBytes?: number): Promise<{ port: number; logged: Logged[] }> {
  const logged: Logged[] = [];
  const server = createFront({
    dispatch,
    maxBodyBytes,
    defaultHost: "127.0.0.1:1",
    log: (message, error) => logged.push({ message, error }),
  });
  return { port: await listen(server), logged };
}

const get = (port: number, path: string, lines: string[] = []) =>
  head([`GET ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, ...lines, "Connection: close"]);

describe("npm start's front, when something fails", () => {
  it("answers a dispatch that throws with a 500 carrying the request id it logged, in the caller's protocol", async () => {
    const { port, logged } = await front(async () => {
      throw new TypeError("fetch failed");
    });
    const query = await rawRequest(port, get(port, "/?Action=ListQueues"));
    expect(query.statuses).toEqual([500]);
    const id = query.headers["x-amzn-requestid"]!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(query.body).toContain("<Code>InternalError</Code>");
    expect(query.body).toContain(`<RequestId>${id}</RequestId>`);
    expect(logged).toHaveLength(1);
    expect(logged[0]!.message).toContain(id);
    expect(logged[0]!.error).toBeInstanceOf(TypeError);

    const json = await rawRequest(port, get(port, "/", ["X-Amz-Target: AmazonSQS.ListQueues"]));
    expect(json.statuses).toEqual([500]);
    expect(JSON.parse(json.body)).toMatchObject({ __type: "com.amazonaws.sqs#InternalFailure" });
    expect(JSON.parse(json.body).message).toContain(json.headers["x-amzn-requestid"]);

    const rest = await rawRequest(port, get(port, "/v1/queues"));
    expect(rest.statuses).toEqual([500]);
    expect(JSON.parse(rest.body)).toMatchObject({ error: { code: "InternalError" } });
  });

  it("answers a fault while writing the Worker's answer, before its status line, with a 500", async () => {
    const broken = {
      status: 200,
      headers: {
        has: () => {
          throw new Error("a bug in the front");
        },
      },
    } as unknown as Response;
    const { port, logged } = await front(async () => broken);
    const answer = await rawRequest(port, get(port, "/?Action=ListQueues"));
    expect(answer.statuses).toEqual([500]);
    expect(answer.body).toContain(`<RequestId>${answer.headers["x-amzn-requestid"]}</RequestId>`);
    expect((logged[0]!.error as Error).message).toBe("a bug in the front");
  });

  it("keeps the 4xx of a refusal (an SqsError) and logs nothing", async () => {
    const { port, logged } = await front(async () => {
      throw SqsErrors.queueDoesNotExist();
    });
    const answer = await rawRequest(port, get(port, "/?Action=ListQueues"));
    expect(answer.statuses).toEqual([400]);
    expect(answer.body).toContain("<Code>AWS.SimpleQueueService.NonExistentQueue</Code>");
    expect(logged).toEqual([]);
  });

  it("closes the connection when the answer fails after its status line, so it does not look complete", async () => {
    let pulls = 0;
    const { port, logged } = await front(
      async () =>
        new Response(
          new ReadableStream({
            pull(controller) {
              if (pulls++ === 0) controller.enqueue(new TextEncoder().encode("<partial"));
              else controller.error(new Error("the Worker's body broke off"));
            },
          }),
          { status: 200, headers: { "content-type": "text/xml" } },
        ),
    );
    const answer = await rawRequest(port, get(port, "/?Action=ListQueues"));
    expect(answer.statuses).toEqual([200]);
    // No last chunk (whether "<partial" got out first or not): a client reads a cut-off answer.
    expect(answer.text.endsWith("0\r\n\r\n")).toBe(false);
    expect((logged[0]!.error as Error).message).toBe("the Worker's body broke off");
  });

  it("still answers, in plain text with the request id, when the error cannot be rendered in the caller's protocol", async () => {
    const logged: Logged[] = [];
    const server = createServer((req, res) => {
      // A request whose headers cannot be read, so no wire can be chosen for it.
      const unreadable = new Proxy(req, {
        get: (target, property) => {
          if (property === "headers") throw new Error("unreadable headers");
          const value = Reflect.get(target, property, target);
          return typeof value === "function" ? value.bind(target) : value;
        },
      }) as IncomingMessage;
      answerFailure(unreadable, res, new Error("the original fault"), "the-request-id", (message, error) =>
        logged.push({ message, error }),
      );
    });
    const port = await listen(server);
    const answer = await rawRequest(port, get(port, "/"));
    expect(answer.statuses).toEqual([500]);
    expect(answer.headers["x-amzn-requestid"]).toBe("the-request-id");
    expect(answer.body).toBe("Internal error (request the-request-id)\n");
    expect(logged.map((entry) => (entry.error as Error).message)).toEqual(["the original fault", "unreadable headers"]);
  });
});

describe("npm start's front, refusing what it cannot pass on", () => {
  it("answers TRACE and CONNECT 405 in the path's protocol, and one whose path cannot be read 400, and keeps serving", async () => {
    const { port, logged } = await front(async () => new Response("served", { status: 200 }));
    const host = `Host: 127.0.0.1:${port}`;
    const trace = await rawRequest(port, head(["TRACE /v1/queues/q/messages HTTP/1.1", host, "Connection: close"]));
    expect(trace.statuses).toEqual([405]);
    // The methods the REST routes take on that path, as the Worker lists them for any other method.
    expect(trace.headers.allow).toBe("POST, GET");
    expect(JSON.parse(trace.body).error.code).toBe("MethodNotAllowed");
    const connect = await rawRequest(port, head(["CONNECT /v1/queues HTTP/1.1", host]));
    expect(connect.statuses).toEqual([405]);
    expect(JSON.parse(connect.body).error.code).toBe("MethodNotAllowed");
    // A REST path with a broken escape: the REST refusal cannot read it (this took the server down).
    for (const method of ["CONNECT", "TRACE"]) {
      const broken = await rawRequest(port, head([`${method} /v1/%ZZ HTTP/1.1`, host, "Connection: close"]));
      expect(broken.statuses, method).toEqual([400]);
      expect(JSON.parse(broken.body).error.message, method).toBe("The path segment %ZZ is not valid percent-encoding.");
    }
    expect((await rawRequest(port, get(port, "/"))).body).toBe("served");
    expect(logged).toEqual([]);
  });
});

describe("npm start's front, passing requests on", () => {
  it("hands the Worker a body past its limit cut to limit + 1 bytes without Content-Length, and drains the rest", async () => {
    const seen: { length: number; contentLength: string | null }[] = [];
    const { port } = await front(async (url, init) => {
      const request = new Request(url, init);
      seen.push({ length: (await request.arrayBuffer()).byteLength, contentLength: request.headers.get("content-length") });
      return new Response("refused", { status: 400 });
    }, 1000);
    const body = Buffer.alloc(100_000, "a");
    // A second request on the same connection after the big one: answered only if the rest was drained.
    const raw = Buffer.concat([
      Buffer.from(head(["POST / HTTP/1.1", `Host: 127.0.0.1:${port}`, `Content-Length: ${body.length}`])),
      body,
      Buffer.from(head(["POST / HTTP/1.1", `Host: 127.0.0.1:${port}`, "Content-Length: 2", "Connection: close"]) + "ok"),
    ]);
    const answer = await rawRequest(port, raw);
    expect(answer.statuses).toEqual([400, 400]);
    expect(answer.error).toBeUndefined();
    expect(seen).toEqual([
      { length: 1001, contentLength: null },
      { length: 2, contentLength: "2" },
    ]);
  });

  it("answers a complete request first when bytes Node cannot parse follow it on the connection", async () => {
    const { port } = await front(async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return new Response("first", { status: 200 });
    });
    const first = head(["GET / HTTP/1.1", `Host: 127.0.0.1:${port}`]);
    const cases: Array<[string, string, number]> = [
      ["garbage", "\x16\x03\x01garbage\r\n\r\n", 400],
      ["a bad Content-Length", head(["POST / HTTP/1.1", "Host: x", "Content-Length: abc"]), 400],
      ["a 20 kB header", head(["GET / HTTP/1.1", "Host: x", `X-Big: ${"a".repeat(20_000)}`]), 431],
    ];
    for (const [name, after, status] of cases) {
      const answer = await rawRequest(port, first + after);
      // Node's own handling answered only the error, dropping the request before it.
      expect(answer.statuses, name).toEqual([200, status]);
      expect(answer.text, name).toMatch(/^HTTP\/1.1 200 OK\r\n[^]*\r\nfirst\r\n/);
    }
    // Alone, or with a body cut short by a half-close, the error is the answer.
    expect((await rawRequest(port, "\x16\x03\x01garbage\r\n\r\n")).statuses).toEqual([400]);
    const short = head(["POST / HTTP/1.1", `Host: 127.0.0.1:${port}`, "Content-Length: 100"]) + "ab";
    expect((await rawRequest(port, short, { halfClose: true })).statuses).toEqual([400]);
  });

  it("answers a client that half-closes after its request", async () => {
    const { port } = await front(async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      return new Response("late but there", { status: 200 });
    });
    const answer = await rawRequest(port, get(port, "/"), { halfClose: true });
    expect(answer.statuses).toEqual([200]);
    expect(answer.body).toBe("late but there");
  });

  it("aborts the Worker's request as soon as its client closes its side mid-answer (an SDK giving up on a long poll)", async () => {
    let aborted: () => void;
    const abortSeen = new Promise<void>((resolve) => (aborted = resolve));
    const { port } = await front(async (_url, init) => {
      init.signal!.addEventListener("abort", () => aborted());
      // A committed long poll: its status line and one heartbeat, then nothing for a long time,
      // so no failed write can tell the front that the client left; only the client's FIN does.
      let pulls = 0;
      return new Response(
        new ReadableStream({
          pull(controller) {
            if (pulls++ === 0) controller.enqueue(new TextEncoder().encode(" "));
            else return new Promise(() => undefined);
          },
        }),
        { status: 200 },
      );
    });
    const answer = await rawRequest(port, get(port, "/"), { leaveAfterMs: 300 });
    expect(answer.statuses).toEqual([200]);
    expect(answer.error).toBe("left");
    const leftAt = performance.now();
    await abortSeen;
    expect(performance.now() - leftAt).toBeLessThan(1_000);
  });

  it("asks the Worker for an uncompressed answer unless the client chose (gzip would hold back long-poll heartbeats)", async () => {
    const asked: (string | null)[] = [];
    const { port } = await front(async (url, init) => {
      asked.push(new Headers(init.headers).get("accept-encoding"));
      return new Response(null, { status: 204 });
    });
    await rawRequest(port, get(port, "/"));
    await rawRequest(port, get(port, "/", ["Accept-Encoding: gzip"]));
    expect(asked).toEqual(["identity", "gzip"]);
  });

  it("does not pass on hop-by-hop headers, which undici refuses", async () => {
    let names: string[] = [];
    const { port } = await front(async (url, init) => {
      names = [...new Headers(init.headers).keys()];
      return new Response(null, { status: 204 });
    });
    const answer = await rawRequest(
      port,
      get(port, "/", ["Connection: Upgrade, HTTP2-Settings", "Upgrade: h2c", "HTTP2-Settings: AAMAAABkAAQAAP__", "X-Kept: yes"]),
    );
    expect(answer.statuses).toEqual([204]);
    expect(names.sort()).toEqual(["accept-encoding", "host", "x-kept"]);
  });
});
