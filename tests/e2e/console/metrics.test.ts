/** GET /metrics/<queue>: the per-minute samples as JSON and Prometheus text, behind SigV4. */
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { OTHER_KEY } from "../../keys.js";
import { awsClient, endpoint, uniqueName } from "../clients.js";
import { signedFetch } from "../signed-fetch.js";

const sqs = awsClient();

describe("queue metrics", () => {
  it("answers the current minute's counts and depth as JSON, and the Prometheus text format", async () => {
    const name = uniqueName("metrics");
    const QueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    for (const body of ["a", "b", "c"]) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1, VisibilityTimeout: 600 }));
    const json = await signedFetch(`${endpoint()}/metrics/${name}`);
    expect(json.status).toBe(200);
    const body = (await json.json()) as { queue: string; samples: Record<string, number>[] };
    expect(body.queue).toBe(name);
    // A minute may have turned during the test: the counts are summed over what is there.
    const total = (key: string) => body.samples.reduce((sum, sample) => sum + sample[key]!, 0);
    expect([total("sent"), total("received"), total("deleted")]).toEqual([3, 1, 0]);
    expect(body.samples.at(-1)).toMatchObject({ visible: 2, inFlight: 1, delayed: 0 });

    const text = await signedFetch(`${endpoint()}/metrics/${name}?format=prometheus`);
    expect(text.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const lines = (await text.text()).split("\n");
    expect(lines).toContain("# TYPE sluice_queue_messages_visible gauge");
    expect(lines.find((line) => line.startsWith(`sluice_queue_messages_in_flight{queue="${name}"} `))).toMatch(/ \d+ \d{13}$/);
  });

  it("refuses an unsigned request, and another account's key sees no such queue", async () => {
    const name = uniqueName("metrics-private");
    await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const unsigned = await fetch(`${endpoint()}/metrics/${name}`);
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain("MissingAuthenticationToken");
    const other = await signedFetch(`${endpoint()}/metrics/${name}`, {}, OTHER_KEY);
    expect(other.status).toBe(400);
    expect(await other.text()).toContain("QueueDoesNotExist");
  });
});
