import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
  AddPermissionCommand,
  GetQueueUrlCommand,
} from "@aws-sdk/client-sqs";
import { beforeAll, describe, expect, it } from "vitest";
import { MAIN_KEY } from "../../keys.js";
import { awsClient, uniqueName } from "../clients.js";
import { csrfOf, get, post, signIn, textOf } from "./console-client.js";

const sqs = awsClient();
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
let cookie: string;

beforeAll(async () => {
  cookie = await signIn(MAIN_KEY);
});

async function arnOf(QueueUrl: string): Promise<string> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  return Attributes!.QueueArn!;
}

async function queuePage(name: string) {
  const page = await get(`/console/queues/${name}`, cookie);
  expect(page.status).toBe(200);
  return { html: page.html, text: textOf(page.html), csrf: csrfOf(page.html) };
}

/** Posts a queue page's form and follows the redirect to the page it shows next. */
async function act(name: string, action: string, form: Record<string, string>) {
  const { csrf } = await queuePage(name);
  const answer = await post(`/console/queues/${name}/${action}`, { ...form, csrf }, { cookie });
  if (answer.status !== 303) return { status: answer.status, text: textOf(answer.html) };
  const next = await get(answer.location!, cookie);
  return { status: next.status, text: textOf(next.html), location: answer.location! };
}

describe("console pages", () => {
  const prefix = uniqueName("pages");
  const source = `${prefix}-orders`;
  const dlq = `${prefix}-orders-dlq`;
  let sourceUrl: string;
  let dlqUrl: string;

  beforeAll(async () => {
    dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: dlq }))).QueueUrl!;
    sourceUrl = (
      await sqs.send(
        new CreateQueueCommand({
          QueueName: source,
          Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await arnOf(dlqUrl), maxReceiveCount: 3 }) },
        }),
      )
    ).QueueUrl!;
    await sqs.send(new SendMessageCommand({ QueueUrl: sourceUrl, MessageBody: "visible one" }));
    await sqs.send(new SendMessageCommand({ QueueUrl: sourceUrl, MessageBody: "visible two" }));
    await sqs.send(new SendMessageCommand({ QueueUrl: sourceUrl, MessageBody: "delayed", DelaySeconds: 600 }));
    await sqs.send(new SendMessageCommand({ QueueUrl: sourceUrl, MessageBody: "to take" }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: sourceUrl, MaxNumberOfMessages: 1, VisibilityTimeout: 600 }));
  });

  it("lists the account's queues with type, counts and dead-letter links both ways, filtered by prefix", async () => {
    const fifo = `${prefix}-z.fifo`;
    await sqs.send(new CreateQueueCommand({ QueueName: fifo, Attributes: { FifoQueue: "true" } }));
    const page = await get(`/console/queues?prefix=${prefix}`, cookie);
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain("3 queues starting with");
    // Name, type, visible, in flight, delayed, age of the oldest message, dead-letter links.
    expect(text).toMatch(new RegExp(`${escape(source)} Standard 2 1 1 \\d+ s sends to ${escape(dlq)} after 3 receives`));
    expect(text).toContain(`${dlq} Standard 0 0 0 – dead-letter queue of ${source}`);
    expect(text).toContain(`${fifo} FIFO 0 0 0 – none`);
    expect(page.html).toContain(`<a href="/console/queues/${dlq}">${dlq}</a>`);
    const narrower = textOf((await get(`/console/queues?prefix=${dlq}`, cookie)).html);
    expect(narrower).toContain("1 queue starting with");
    expect(narrower).not.toContain(`${source} Standard`);
  });

  it("creates standard and FIFO queues from the form, with their main attributes and a dead-letter queue", async () => {
    const csrf = csrfOf((await get("/console/queues", cookie)).html);
    const created = await post(
      "/console/queues",
      { csrf, name: `${prefix}-made`, type: "fifo", VisibilityTimeout: "45", ContentBasedDeduplication: "true", deadLetterQueue: "", maxReceiveCount: "" },
      { cookie },
    );
    expect(created.status).toBe(303);
    expect(created.location).toBe(`/console/queues/${prefix}-made.fifo?notice=created`);
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: `${prefix}-made.fifo` }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }));
    expect(Attributes).toMatchObject({ FifoQueue: "true", VisibilityTimeout: "45", ContentBasedDeduplication: "true" });
    const withDlq = await post("/console/queues", { csrf, name: `${prefix}-made2`, type: "standard", deadLetterQueue: dlq, maxReceiveCount: "7" }, { cookie });
    expect(withDlq.status).toBe(303);
    const made2 = await sqs.send(new GetQueueUrlCommand({ QueueName: `${prefix}-made2` }));
    const policy = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: made2.QueueUrl, AttributeNames: ["RedrivePolicy"] }))).Attributes!;
    expect(JSON.parse(policy.RedrivePolicy!)).toEqual({ deadLetterTargetArn: await arnOf(dlqUrl), maxReceiveCount: 7 });
    // An invalid name is refused with the API's own error, on the page.
    const refused = await post("/console/queues", { csrf, name: "bad name!", type: "standard" }, { cookie });
    expect(refused.status).toBe(400);
    expect(textOf(refused.html)).toContain("InvalidParameterValue");
  });

  it("shows a queue's counts, attributes, tags and permissions", async () => {
    await sqs.send(new TagQueueCommand({ QueueUrl: sourceUrl, Tags: { team: "payments" } }));
    await sqs.send(new AddPermissionCommand({ QueueUrl: sourceUrl, Label: "partners", AWSAccountIds: ["111111111111"], Actions: ["SendMessage"] }));
    const { text, html } = await queuePage(source);
    expect(html).toContain('<dd data-count="visible">2</dd>');
    expect(html).toContain('<dd data-count="in-flight">1</dd>');
    expect(html).toContain('<dd data-count="delayed">1</dd>');
    expect(text).toContain(`sends to ${dlq} after 3 receives`);
    expect(text).toContain("team payments");
    expect(text).toMatch(/partners arn:aws:iam::111111111111:root SQS:SendMessage|partners 111111111111 SQS:SendMessage/);
    expect(html).toMatch(/<input id="attribute-VisibilityTimeout"[^>]* name="VisibilityTimeout" value="30"/);
    expect(text).toContain("A queue can be purged once every 60 seconds");
    // The DLQ's page offers redrive; the source's does not.
    expect(text).not.toContain("Start redrive");
    const sources = /This is the dead-letter queue of ([^.]+)\./.exec((await queuePage(dlq)).text)?.[1];
    expect(sources?.split(", ")).toContain(source);
  });

  it("validates attribute changes exactly as SetQueueAttributes does, and saves valid ones", async () => {
    let apiMessage = "";
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: sourceUrl, Attributes: { VisibilityTimeout: "50000" } })).catch((error: Error) => {
      apiMessage = error.message;
    });
    expect(apiMessage).not.toBe("");
    const refused = await act(source, "attributes", { VisibilityTimeout: "50000" });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain(`InvalidAttributeValue: ${apiMessage}`);
    const saved = await act(source, "attributes", { VisibilityTimeout: "75", DelaySeconds: "0" });
    expect(saved.text).toContain("Attributes saved.");
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: sourceUrl, AttributeNames: ["VisibilityTimeout"] }));
    expect(Attributes!.VisibilityTimeout).toBe("75");
  });

  it("sends a message with attributes, adds and removes a tag, deletes a message by receipt handle", async () => {
    const queue = `${prefix}-send`;
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: queue }))).QueueUrl!;
    const sent = await act(queue, "send", { body: "from the console", attrName1: "kind", attrType1: "String", attrValue1: "test" });
    expect(sent.text).toMatch(/Message sent \(id [0-9a-f-]{36}\)\./);
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ["All"] }));
    const message = received.Messages![0]!;
    expect(message.Body).toBe("from the console");
    expect(message.MessageAttributes).toEqual({ kind: { DataType: "String", StringValue: "test" } });
    const deleted = await act(queue, "delete-message", { receiptHandle: message.ReceiptHandle! });
    expect(deleted.text).toContain("Message deleted.");
    const bad = await act(queue, "delete-message", { receiptHandle: "not-a-handle" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("ReceiptHandleIsInvalid");
    expect((await act(queue, "tag", { key: "env", value: "test" })).text).toContain("env test");
    expect((await act(queue, "untag", { key: "env" })).text).toContain("No tags.");
  });

  it("purges and deletes only with the queue's name typed, and shows the 60-second rule's refusal", async () => {
    const queue = `${prefix}-purge`;
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: queue }))).QueueUrl!;
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "x" }));
    const unconfirmed = await act(queue, "purge", { confirm: "wrong" });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.text).toContain(`Type the queue's name, ${queue}, to confirm.`);
    expect((await act(queue, "purge", { confirm: queue })).text).toContain("Purge started");
    const again = await act(queue, "purge", { confirm: queue });
    expect(again.status).toBe(400);
    expect(again.text).toContain("PurgeQueueInProgress");
    expect((await act(queue, "delete", { confirm: "nope" })).status).toBe(400);
    const deleted = await act(queue, "delete", { confirm: queue });
    expect(deleted.location).toBe("/console/queues?notice=deleted");
    expect(deleted.text).toContain("Queue deleted.");
    await expect(sqs.send(new GetQueueUrlCommand({ QueueName: queue }))).rejects.toMatchObject({ name: "QueueDoesNotExist" });
  });

  it("redrives a dead-letter queue to its source and shows the move task's progress", async () => {
    const q = `${prefix}-rd`;
    const rdDlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${q}-dlq` }))).QueueUrl!;
    const rdSourceUrl = (
      await sqs.send(
        new CreateQueueCommand({
          QueueName: q,
          Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await arnOf(rdDlqUrl), maxReceiveCount: 1 }) },
        }),
      )
    ).QueueUrl!;
    // Into the DLQ the way messages land there: received once too often from the source.
    for (const body of ["a", "b"]) await sqs.send(new SendMessageCommand({ QueueUrl: rdSourceUrl, MessageBody: body }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: rdSourceUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: rdSourceUrl, MaxNumberOfMessages: 10 }));
    const landed = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: rdDlqUrl, AttributeNames: ["ApproximateNumberOfMessages"] }));
    expect(landed.Attributes!.ApproximateNumberOfMessages).toBe("2");
    const started = await act(`${q}-dlq`, "redrive", { destination: "" });
    expect(started.text).toContain("Redrive started");
    let text = started.text;
    for (let i = 0; i < 50 && !text.includes("COMPLETED source queues 2"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      text = (await queuePage(`${q}-dlq`)).text;
    }
    expect(text).toContain("COMPLETED source queues 2");
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: rdSourceUrl, AttributeNames: ["ApproximateNumberOfMessages"] }));
    expect(Attributes!.ApproximateNumberOfMessages).toBe("2");
  });
});
