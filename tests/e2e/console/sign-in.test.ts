import { CreateQueueCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { MAIN_KEY, OTHER_KEY } from "../../keys.js";
import { awsClient, uniqueName } from "../clients.js";
import { csrfOf, get, handMadeCookie, post, signIn, textOf } from "./console-client.js";

const now = () => Math.floor(Date.now() / 1000);

describe("console sign-in", () => {
  it("shows the sign-in page to a visitor without a session, and sends every page there", async () => {
    const page = await get("/console/sign-in");
    expect(page.status).toBe(200);
    expect(page.html).toContain('<label>Access key id<input name="accessKeyId"');
    expect(page.html).toContain('type="password"');
    for (const path of ["/console", "/console/queues", "/console/queues/anything"]) {
      const answer = await get(path);
      expect(answer.status).toBe(303);
      expect(answer.location).toBe(path === "/console" ? "/console/queues" : "/console/sign-in");
    }
  });

  it("signs in with an access key id and secret: an HttpOnly, SameSite=Strict cookie for /console that expires", async () => {
    const signed = await post("/console/sign-in", { accessKeyId: MAIN_KEY.accessKeyId, secretAccessKey: MAIN_KEY.secretAccessKey });
    expect(signed.status).toBe(303);
    expect(signed.location).toBe("/console/queues");
    const attributes = signed.setCookie!.split(";").map((part) => part.trim());
    expect(attributes).toEqual(expect.arrayContaining(["Path=/console", "HttpOnly", "SameSite=Strict", "Max-Age=28800"]));
    // Plain http on 127.0.0.1: no Secure, or the browser would never send it back.
    expect(attributes).not.toContain("Secure");
    const page = await get("/console/queues", attributes[0]);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain(`Account ${MAIN_KEY.accountId} (key ${MAIN_KEY.accessKeyId} )`);
  });

  it("refuses a wrong secret and an unknown key, setting no cookie", async () => {
    for (const form of [
      { accessKeyId: MAIN_KEY.accessKeyId, secretAccessKey: "not-the-secret" },
      { accessKeyId: "AKIDNOSUCHKEY", secretAccessKey: MAIN_KEY.secretAccessKey },
      { accessKeyId: MAIN_KEY.accessKeyId, secretAccessKey: OTHER_KEY.secretAccessKey },
    ]) {
      const refused = await post("/console/sign-in", form);
      expect(refused.status).toBe(403);
      expect(refused.setCookie).toBeNull();
      expect(textOf(refused.html)).toContain("Wrong access key id or secret.");
    }
  });

  it("refuses an expired cookie and a forged one, and accepts the same cookie signed as the Worker signs it", async () => {
    // The control: made by hand with the right secret and a future expiry, it is a session.
    const valid = await get("/console/queues", handMadeCookie(MAIN_KEY, now() + 600));
    expect(valid.status).toBe(200);
    const expired = await get("/console/queues", handMadeCookie(MAIN_KEY, now() - 1));
    expect(expired.status).toBe(303);
    expect(expired.location).toBe("/console/sign-in");
    const forged = await get("/console/queues", handMadeCookie(MAIN_KEY, now() + 600, "guessed-secret"));
    expect(forged.location).toBe("/console/sign-in");
    // Another key's session relabelled as MAIN's: the MAC was made with the other secret.
    const relabelled = await get("/console/queues", handMadeCookie(MAIN_KEY, now() + 600, OTHER_KEY.secretAccessKey));
    expect(relabelled.location).toBe("/console/sign-in");
    const tampered = (await signIn(MAIN_KEY)).replace(/\.(.)/, (_, c: string) => `.${c === "A" ? "B" : "A"}`);
    expect((await get("/console/queues", tampered)).location).toBe("/console/sign-in");
    // A POST without a session is refused outright, not redirected.
    expect((await post("/console/queues", { name: uniqueName("nosession") }, { cookie: handMadeCookie(MAIN_KEY, now() - 1) })).status).toBe(401);
  });

  it("refuses a cross-site form post: another Origin, no Origin, or no or another session's CSRF token", async () => {
    const cookie = await signIn(MAIN_KEY);
    const csrf = csrfOf((await get("/console/queues", cookie)).html);
    const otherCsrf = csrfOf((await get("/console/queues", await signIn(MAIN_KEY))).html);
    const name = uniqueName("csrf");
    const attempts: [Record<string, string>, { origin?: string | null }][] = [
      [{ name, csrf }, { origin: "https://attacker.example" }],
      [{ name, csrf }, { origin: null }],
      [{ name }, {}],
      [{ name, csrf: otherCsrf }, {}],
      [{ name, csrf: "" }, {}],
    ];
    for (const [form, options] of attempts) {
      const refused = await post("/console/queues", form, { cookie, ...options });
      expect(refused.status).toBe(403);
      expect(refused.html).toContain("Cross-site request refused");
    }
    await expect(awsClient().send(new GetQueueUrlCommand({ QueueName: name }))).rejects.toMatchObject({ name: "QueueDoesNotExist" });
    // Sign-in itself takes no post from another site either.
    const crossSignIn = await post(
      "/console/sign-in",
      { accessKeyId: MAIN_KEY.accessKeyId, secretAccessKey: MAIN_KEY.secretAccessKey },
      { origin: "https://attacker.example" },
    );
    expect(crossSignIn.status).toBe(403);
    expect(crossSignIn.setCookie).toBeNull();
    // The same form from the console itself goes through.
    const created = await post("/console/queues", { name, csrf, type: "standard" }, { cookie });
    expect(created.status).toBe(303);
    await awsClient().send(new GetQueueUrlCommand({ QueueName: name }));
  });

  it("signs out: the cookie is cleared, and a copy of it kept is refused from then on", async () => {
    const cookie = await signIn(MAIN_KEY);
    const other = await signIn(MAIN_KEY);
    const csrf = csrfOf((await get("/console/queues", cookie)).html);
    const out = await post("/console/sign-out", { csrf }, { cookie });
    expect(out.status).toBe(303);
    expect(out.location).toBe("/console/sign-in");
    expect(out.setCookie).toMatch(/^sluice_console=; Path=\/console; HttpOnly; SameSite=Strict; Max-Age=0/);
    const replayed = await get("/console/queues", cookie);
    expect(replayed.status).toBe(303);
    expect(replayed.location).toBe("/console/sign-in");
    expect((await post("/console/queues", { csrf, name: uniqueName("after-sign-out") }, { cookie })).status).toBe(401);
    // Another session of the same key goes on.
    expect((await get("/console/queues", other)).status).toBe(200);
  });

  it("shows a session only its own account's queues", async () => {
    const mine = uniqueName("mine");
    await awsClient().send(new CreateQueueCommand({ QueueName: mine }));
    const other = await signIn(OTHER_KEY);
    const list = await get(`/console/queues?prefix=${mine}`, other);
    expect(list.status).toBe(200);
    expect(list.html).not.toContain(mine + "<");
    expect(textOf(list.html)).toContain(`No queue name starts with “${mine}”.`);
    const page = await get(`/console/queues/${mine}`, other);
    expect(page.status).toBe(400);
    expect(textOf(page.html)).toContain(`No queue named “${mine}” in this account.`);
    const main = await get(`/console/queues?prefix=${mine}`, await signIn(MAIN_KEY));
    expect(main.html).toContain(`>${mine}</a>`);
  });
});
