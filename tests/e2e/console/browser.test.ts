/**
 * The console in headless Chromium, as a person uses it: sign in, create a queue, send, peek,
 * watch a receive put a message in flight, redrive a dead-letter queue, purge, sign out. Each
 * step keeps a screenshot under the test report directory.
 */
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAIN_KEY } from "../../keys.js";
import { awsClient, endpoint, uniqueName } from "../clients.js";
import { launchChromium, screenshotDir, skipChromium, type LaunchedBrowser } from "./chromium.js";

const sqs = awsClient();

describe.skipIf(skipChromium())("the console in Chromium", () => {
  let launched: LaunchedBrowser;
  let page: Page;
  const queue = uniqueName("browser");
  const shots = screenshotDir();

  beforeAll(async () => {
    launched = await launchChromium();
    page = await launched.context.newPage();
  });

  afterAll(async () => {
    await launched?.close();
  });

  async function screenshot(name: string) {
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  }

  /** The receive counts and states the Messages view shows, in order. */
  async function shownMessages() {
    return page.locator("tr[data-message-id]").evaluateAll((rows) =>
      rows.map((row) => ({
        body: row.querySelector("pre")?.textContent ?? "",
        state: row.getAttribute("data-state"),
        receiveCount: row.getAttribute("data-receive-count"),
      })),
    );
  }

  it("refuses a wrong secret, then signs in with the right one", async () => {
    await page.goto(`${endpoint()}/console`);
    expect(new URL(page.url()).pathname).toBe("/console/sign-in");
    await page.getByLabel("Access key id").fill(MAIN_KEY.accessKeyId);
    await page.getByLabel("Secret access key").fill("wrong");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toContain("Wrong access key id or secret.");
    await page.getByLabel("Secret access key").fill(MAIN_KEY.secretAccessKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/console/queues");
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Queues");
    const cookies = await launched.context.cookies();
    expect(cookies.find((cookie) => cookie.name === "sluice_console")).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/console" });
    await screenshot("1-signed-in");
  });

  it("creates a queue and sends three messages", async () => {
    await page.getByLabel("Name", { exact: true }).fill(queue);
    await page.getByRole("button", { name: "Create queue" }).click();
    await page.waitForURL(`**/console/queues/${queue}?notice=created`);
    await expect(page.getByRole("status").textContent()).resolves.toBe("Queue created.");
    for (const body of ["first", "second", "third"]) {
      await page.getByLabel("Body", { exact: true }).fill(body);
      await page.getByRole("button", { name: "Send", exact: true }).click();
      await page.waitForURL(/notice=sent/);
    }
    await screenshot("2-sent");
  });

  it("peeks the messages: all visible, receive count still 0", async () => {
    expect(await shownMessages()).toEqual([
      { body: "first", state: "visible", receiveCount: "0" },
      { body: "second", state: "visible", receiveCount: "0" },
      { body: "third", state: "visible", receiveCount: "0" },
    ]);
    await page.reload();
    expect((await shownMessages()).map((m) => m.receiveCount)).toEqual(["0", "0", "0"]);
    await screenshot("3-peeked");
  });

  it("shows a message the AWS SDK received as in flight", async () => {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queue }));
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 600 }));
    expect(received.Messages?.[0]?.Body).toBe("first");
    await page.getByRole("link", { name: "Refresh" }).click();
    expect(await shownMessages()).toEqual([
      { body: "first", state: "in-flight", receiveCount: "1" },
      { body: "second", state: "visible", receiveCount: "0" },
      { body: "third", state: "visible", receiveCount: "0" },
    ]);
    await expect(page.locator('[data-count="in-flight"]').textContent()).resolves.toBe("1");
    await page.getByLabel("In flight", { exact: true }).check();
    await page.getByLabel("Visible", { exact: true }).uncheck();
    await page.getByLabel("Delayed", { exact: true }).uncheck();
    await page.getByRole("button", { name: "Peek" }).click();
    expect((await shownMessages()).map((m) => m.body)).toEqual(["first"]);
    await screenshot("4-in-flight");
  });

  it("redrives a dead-letter queue with the button and shows the move task finish", async () => {
    const dlq = `${queue}-dlq`;
    const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: dlq }))).QueueUrl!;
    const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
    const source = `${queue}-src`;
    const sourceUrl = (
      await sqs.send(
        new CreateQueueCommand({ QueueName: source, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) } }),
      )
    ).QueueUrl!;
    await sqs.send(new SendMessageCommand({ QueueUrl: sourceUrl, MessageBody: "poison" }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: sourceUrl, VisibilityTimeout: 0 }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: sourceUrl }));
    await page.goto(`${endpoint()}/console/queues/${dlq}`);
    expect(await shownMessages()).toEqual([{ body: "poison", state: "visible", receiveCount: "1" }]);
    await page.getByRole("button", { name: "Start redrive" }).click();
    await page.waitForURL(/notice=redrive/);
    for (let i = 0; i < 50; i++) {
      if ((await page.locator('tr[data-move-task="COMPLETED"]').count()) > 0) break;
      await page.waitForTimeout(100);
      await page.getByRole("link", { name: "Refresh" }).click();
    }
    await expect(page.locator('tr[data-move-task="COMPLETED"]').count()).resolves.toBe(1);
    expect(await shownMessages()).toEqual([]);
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: sourceUrl, AttributeNames: ["ApproximateNumberOfMessages"] }));
    expect(Attributes!.ApproximateNumberOfMessages).toBe("1");
    await screenshot("5-redriven");
  });

  it("purges only once the queue's name is typed, and the depth chart shows it", async () => {
    await page.goto(`${endpoint()}/console/queues/${queue}`);
    const depth = page.locator('svg[data-chart="depth"]');
    await expect(depth.getAttribute("data-last")).resolves.toBe("visible:2,inFlight:1,delayed:0");
    const purge = page.getByRole("region", { name: "Purge" });
    await purge.getByLabel("Type the queue's name to confirm").fill("not the name");
    await purge.getByRole("button", { name: "Purge queue" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toContain("to confirm");
    expect(await shownMessages()).toHaveLength(3);
    await page.getByRole("region", { name: "Purge" }).getByLabel("Type the queue's name to confirm").fill(queue);
    await page.getByRole("region", { name: "Purge" }).getByRole("button", { name: "Purge queue" }).click();
    await page.waitForURL(/notice=purged/);
    expect(await shownMessages()).toEqual([]);
    await expect(page.locator('[data-count="visible"]').textContent()).resolves.toBe("0");
    await expect(depth.getAttribute("data-last")).resolves.toBe("visible:0,inFlight:0,delayed:0");
    await expect(page.locator('svg[data-chart="throughput"]').getAttribute("data-last")).resolves.toMatch(/^sent:\d+,received:\d+,deleted:\d+$/);
    await screenshot("6-purged");
  });

  it("fits a phone's screen: no page is wider than 375 px", async () => {
    // The longest name a queue can have, as an option of the dead-letter and redrive choices.
    await sqs.send(new CreateQueueCommand({ QueueName: `${queue}-${"n".repeat(80 - queue.length - 1)}` }));
    await page.setViewportSize({ width: 375, height: 740 });
    for (const path of ["/console/queues", `/console/queues/${queue}`, `/console/queues/${queue}-dlq`]) {
      await page.goto(`${endpoint()}${path}`);
      // An expression, not a function: the test is type-checked without the DOM library.
      expect(await page.evaluate<number>("document.documentElement.scrollWidth"), path).toBeLessThanOrEqual(375);
    }
    await screenshot("7-phone");
    await page.setViewportSize({ width: 1100, height: 900 });
  });

  it("signs out: the console asks for sign-in again", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL("**/console/sign-in");
    expect((await launched.context.cookies()).find((cookie) => cookie.name === "sluice_console")).toBeUndefined();
    await page.goto(`${endpoint()}/console/queues`);
    expect(new URL(page.url()).pathname).toBe("/console/sign-in");
    await screenshot("8-signed-out");
  });
});
