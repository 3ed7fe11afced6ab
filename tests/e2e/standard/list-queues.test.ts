/** ListQueues: prefix filter, MaxResults paging with NextToken, and its limits. */
import { CreateQueueCommand, DeleteQueueCommand, ListQueuesCommand } from "@aws-sdk/client-sqs";
import { beforeAll, describe, expect, it } from "vitest";
import { awsClient, uniqueName } from "../clients.js";
import { expectSqsError } from "./standard-helpers.js";

const sqs = awsClient();
/** A prefix no other test uses, and the five queues made under it. */
const prefix = uniqueName("lq");
const urls: string[] = [];

beforeAll(async () => {
  for (const suffix of ["a", "b", "c", "d", "e"]) {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-${suffix}` }));
    urls.push(QueueUrl!);
  }
});

describe("ListQueues", () => {
  it("lists exactly the queues whose names start with QueueNamePrefix, without a NextToken", async () => {
    const result = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
    expect([...(result.QueueUrls ?? [])].sort()).toEqual([...urls].sort());
    expect(result.NextToken).toBeUndefined();
    const narrower = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: `${prefix}-c` }));
    expect(narrower.QueueUrls).toEqual([urls[2]]);
  });

  it("lists up to 1000 queues without a prefix, and never a NextToken", async () => {
    const { QueueUrls = [], NextToken } = await sqs.send(new ListQueuesCommand({}));
    expect(NextToken).toBeUndefined();
    expect(QueueUrls.length).toBeGreaterThanOrEqual(urls.length);
    expect(QueueUrls.length).toBeLessThanOrEqual(1000);
    // Other suites share the account; below the cap every queue, ours included, is listed.
    if (QueueUrls.length < 1000) for (const url of urls) expect(QueueUrls).toContain(url);
  });

  it("matches the prefix case-sensitively and omits QueueUrls when nothing matches", async () => {
    const result = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix.toUpperCase() }));
    expect(result.QueueUrls).toBeUndefined();
  });

  it("pages with MaxResults and NextToken through every queue exactly once", async () => {
    const seen: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const page = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2, NextToken }));
      expect(page.QueueUrls!.length).toBeGreaterThan(0);
      expect(page.QueueUrls!.length).toBeLessThanOrEqual(2);
      seen.push(...page.QueueUrls!);
      NextToken = page.NextToken;
      pages += 1;
    } while (NextToken !== undefined && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(5);
    expect([...seen].sort()).toEqual([...urls].sort());
  });

  it("ignores NextToken without MaxResults", async () => {
    const result = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix, NextToken: "not-a-token" }));
    expect([...(result.QueueUrls ?? [])].sort()).toEqual([...urls].sort());
  });

  it("gives no NextToken when MaxResults covers every match", async () => {
    const page = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 5 }));
    expect(page.QueueUrls).toHaveLength(5);
    expect(page.NextToken).toBeUndefined();
  });

  it("accepts MaxResults 1 and 1000", async () => {
    const one = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 1 }));
    expect(one.QueueUrls).toHaveLength(1);
    expect(one.NextToken).toBeDefined();
    const many = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 1000 }));
    expect(many.QueueUrls).toHaveLength(5);
  });

  it.each([0, 1001, -1])("rejects MaxResults %i with InvalidParameterValue", async (MaxResults) => {
    const error = await expectSqsError(sqs.send(new ListQueuesCommand({ MaxResults })), "InvalidParameterValue");
    expect(error.message).toBe(
      `Value ${MaxResults} for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.`,
    );
  });

  it("stops listing a queue once it is deleted", async () => {
    const doomed = uniqueName("lq-doomed");
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: doomed }));
    expect((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: doomed }))).QueueUrls).toEqual([QueueUrl]);
    await sqs.send(new DeleteQueueCommand({ QueueUrl }));
    expect((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: doomed }))).QueueUrls).toBeUndefined();
  });
});
