/**
 * The console on a partitioned queue: the queue page says how many partitions it has, the
 * message peek shows every partition's messages merged by sent time and pages through all of
 * them, and the per-minute metrics add the partitions up.
 */
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, TagQueueCommand } from "@aws-sdk/client-sqs";
import { beforeAll, describe, expect, it } from "vitest";
import { MAIN_KEY } from "../../keys.js";
import { awsClient, endpoint, uniqueName } from "../clients.js";
import { signedFetch } from "../signed-fetch.js";
import { csrfOf, get, post, signIn } from "./console-client.js";

const sqs = awsClient();
const TAG = "sluice:partitions";
let cookie: string;

beforeAll(async () => {
  cookie = await signIn(MAIN_KEY);
});

async function partitionedQueue(prefix: string, partitions: number): Promise<{ name: string; QueueUrl: string }> {
  const name = uniqueName(prefix);
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, tags: { [TAG]: String(partitions) } }));
  return { name, QueueUrl: QueueUrl! };
}

const shownIds = (html: string) => [...html.matchAll(/data-message-id="([^"]+)"/g)].map((m) => m[1]!);
const nextLink = (html: string) => /<a href="([^"]+)">Next page<\/a>/.exec(html)?.[1]?.replaceAll("&amp;", "&");

/** Every page of a view, following Next page links, as the ids shown on each. */
async function allPages(path: string): Promise<string[][]> {
  const pages: string[][] = [];
  for (let link: string | undefined = path; link !== undefined && pages.length < 20; ) {
    const page = await get(link, cookie);
    expect(page.status).toBe(200);
    pages.push(shownIds(page.html));
    link = nextLink(page.html);
  }
  return pages;
}

describe("the console on a partitioned queue", () => {
  it("shows the partition count on the queue page, and a raise at the next look", async () => {
    const plain = uniqueName("console-part-one");
    await sqs.send(new CreateQueueCommand({ QueueName: plain }));
    expect((await get(`/console/queues/${plain}`, cookie)).html).toContain('<dd data-count="partitions">1</dd>');
    const { name, QueueUrl } = await partitionedQueue("console-part", 3);
    expect((await get(`/console/queues/${name}`, cookie)).html).toContain('<dd data-count="partitions">3</dd>');
    await sqs.send(new TagQueueCommand({ QueueUrl, Tags: { [TAG]: "5" } }));
    expect((await get(`/console/queues/${name}`, cookie)).html).toContain('<dd data-count="partitions">5</dd>');
  });

  it("creates a partitioned queue from the form, and refuses a count out of range", async () => {
    const csrf = csrfOf((await get("/console/queues", cookie)).html);
    const name = uniqueName("console-part-form");
    const created = await post("/console/queues", { csrf, name, type: "standard", partitions: "4" }, { cookie });
    expect(created.status).toBe(303);
    expect((await get(`/console/queues/${name}`, cookie)).html).toContain('<dd data-count="partitions">4</dd>');
    const refused = await post("/console/queues", { csrf, name: uniqueName("console-part-form"), type: "standard", partitions: "65" }, { cookie });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain("sluice:partitions");
  });

  it("peeks every partition: messages in sent order, paged 20 at a time, oldest or newest first, filtered", async () => {
    const { name, QueueUrl } = await partitionedQueue("console-part-peek", 4);
    const ids: string[] = [];
    for (let i = 0; i < 45; i++) ids.push((await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `m${i}` }))).MessageId!);
    // Three in flight, from whichever partitions the receives reach.
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 3, VisibilityTimeout: 600 }));
    const inFlight = new Set(received.Messages!.map((m) => m.MessageId!));
    expect(inFlight.size).toBeGreaterThan(0);

    expect(await allPages(`/console/queues/${name}`)).toEqual([ids.slice(0, 20), ids.slice(20, 40), ids.slice(40)]);
    const newest = [...ids].reverse();
    expect(await allPages(`/console/queues/${name}?order=newest`)).toEqual([newest.slice(0, 20), newest.slice(20, 40), newest.slice(40)]);
    expect((await allPages(`/console/queues/${name}?state=in-flight`)).flat()).toEqual(ids.filter((id) => inFlight.has(id)));
    expect((await allPages(`/console/queues/${name}?state=visible`)).flat()).toEqual(ids.filter((id) => !inFlight.has(id)));
    expect((await allPages(`/console/queues/${name}?search=m4`)).flat()).toEqual([ids[4], ...ids.slice(40)]);
  });

  it("adds the partitions' per-minute samples up in the metrics", async () => {
    const { name, QueueUrl } = await partitionedQueue("console-part-metrics", 4);
    for (let i = 0; i < 8; i++) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `m${i}` }));
    let received = 0;
    for (let tries = 0; tries < 10 && received < 3; tries++) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 3 - received, VisibilityTimeout: 600 }));
      received += Messages.length;
    }
    expect(received).toBe(3);
    const json = await signedFetch(`${endpoint()}/metrics/${name}`);
    expect(json.status).toBe(200);
    const { samples } = (await json.json()) as { samples: Record<string, number>[] };
    // A minute may have turned during the test: the counts are summed over what is there.
    const total = (key: string) => samples.reduce((sum, sample) => sum + sample[key]!, 0);
    expect([total("sent"), total("received"), total("deleted")]).toEqual([8, 3, 0]);
    expect(samples.at(-1)).toMatchObject({ visible: 5, inFlight: 3, delayed: 0 });
  });
});
