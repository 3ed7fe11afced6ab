/**
 * The one queue-name rule (sdk/protocol/queue-name.ts): 1 to 80 letters, digits, hyphens and
 * underscores, a FIFO name ending in .fifo that counts toward the 80; and the places that read
 * names (CreateQueue, queue URLs, ARNs, the OpenAPI document) agreeing with it.
 */
import { describe, expect, it } from "vitest";
import { isFifoQueueName, isQueueName, queueArnParts } from "../../sdk/protocol/index.js";
import { OPENAPI_DOCUMENT } from "../../worker/protocol/openapi.js";
import { parseQueueArn, parseQueueUrl } from "../../worker/queue-url.js";
import { sqsCall } from "./sqs-call.js";

const x = (n: number) => "x".repeat(n);
const NAMES_OK = ["a", "Z9", "a-b_c", x(80), `${x(75)}.fifo`, "a.fifo"];
const NAMES_BAD = ["", x(81), `${x(76)}.fifo`, ".fifo", "a.b", "has space", "caf\u00e9", "a.fifo.fifo", "a/b", "a.FIFO"];

describe("the queue-name rule", () => {
  it("allows 1 to 80 characters, the .fifo suffix counted", () => {
    for (const name of NAMES_OK) expect(isQueueName(name), name).toBe(true);
    for (const name of NAMES_BAD) expect(isQueueName(name), name).toBe(false);
  });

  it("tells FIFO names by their suffix", () => {
    expect(isFifoQueueName("jobs.fifo")).toBe(true);
    expect(isFifoQueueName("http://h/000000000000/jobs.fifo")).toBe(true);
    expect(isFifoQueueName("jobs")).toBe(false);
  });

  it("is the OpenAPI document's pattern for a new queue's name", () => {
    const pattern = new RegExp(OPENAPI_DOCUMENT.components.schemas.CreateQueueRequest!.properties!.name!.pattern!, "u");
    for (const name of NAMES_OK) expect(pattern.test(name), name).toBe(true);
    for (const name of NAMES_BAD) expect(pattern.test(name), name).toBe(false);
  });

  it("reads queue URLs and ARNs only with names a queue can have", () => {
    const ctx = { accountId: "111111111111" };
    expect(parseQueueUrl(`${x(75)}.fifo`, ctx)).toEqual({ accountId: "111111111111", name: `${x(75)}.fifo` });
    expect(parseQueueUrl(`http://h/222222222222/${x(75)}.fifo`, ctx)).toEqual({ accountId: "222222222222", name: `${x(75)}.fifo` });
    expect(() => parseQueueUrl(`http://h/222222222222/${x(76)}.fifo`, ctx)).toThrow(/does not exist/);
    expect(() => parseQueueUrl(`${x(76)}.fifo`, ctx)).toThrow(/does not exist/);
    expect(parseQueueArn(`arn:aws:sqs:eu-west-1:222222222222:${x(75)}.fifo`)).toEqual({
      region: "eu-west-1",
      accountId: "222222222222",
      name: `${x(75)}.fifo`,
    });
    expect(parseQueueArn(`arn:aws:sqs:eu-west-1:222222222222:${x(76)}.fifo`)).toBeUndefined();
    expect(queueArnParts(`arn:aws-cn:sqs:cn-north-1:222222222222:${x(80)}`)?.name).toBe(x(80));
    expect(queueArnParts(`arn:aws:sqs:eu-west-1:222222222222:${x(81)}`)).toBeUndefined();
    expect(queueArnParts(`arn:aws:sns:eu-west-1:222222222222:${x(8)}`)).toBeUndefined();
  });

  it("lets CreateQueue make an 80-character FIFO queue and refuse an 81-character one", async () => {
    const fifo = { FifoQueue: "true" };
    const made = await sqsCall<{ QueueUrl: string }>("CreateQueue", { QueueName: `${x(75)}.fifo`, Attributes: fifo });
    expect(made.status).toBe(200);
    expect(made.body.QueueUrl.endsWith(`/${x(75)}.fifo`)).toBe(true);
    const refused = await sqsCall<{ __type: string; message: string }>("CreateQueue", {
      QueueName: `${x(76)}.fifo`,
      Attributes: fifo,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.__type).toMatch(/InvalidParameterValue/);
    expect(refused.body.message).toBe(
      "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.",
    );
  });
});
