/**
 * A deployment never falls back to open: the Worker as `wrangler deploy` ships it (no
 * SLUICE_LOCAL_DEV, which only local runners set) refuses every request until the
 * SLUICE_CREDENTIALS secret exists, and a broken secret is an operator's error, not an open door.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { buildWorker } from "../../local/build-worker.mjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { AwsClient } from "aws4fetch";
import { README_KEY } from "../keys.js";

const dir = mkdtempSync(join(tmpdir(), "sluice-deployed-"));
const script = join(dir, "worker.js");

/** The Worker with wrangler.toml's bindings only, plus `secrets`, as a deployment would run it. */
async function deployed(secrets: Record<string, string>): Promise<Miniflare> {
  const { workerOptions } = unstable_getMiniflareWorkerOptions("wrangler.toml");
  const mf = new Miniflare({
    ...(workerOptions as object),
    name: "sluice",
    bindings: { ...(workerOptions as { bindings?: object }).bindings, ...secrets },
    modules: true,
    modulesRoot: dir,
    scriptPath: script,
  });
  await mf.ready;
  return mf;
}

describe("a deployed Worker's authentication", () => {
  beforeAll(async () => {
    await buildWorker(script);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("wrangler.toml sets neither SLUICE_LOCAL_DEV nor SLUICE_CREDENTIALS", () => {
    expect(readFileSync("wrangler.toml", "utf8")).not.toMatch(/SLUICE_LOCAL_DEV|SLUICE_CREDENTIALS/);
  });

  it("refuses every request, the local key pair included, when SLUICE_CREDENTIALS is not set", async () => {
    await expectEveryRequestRefused({}, 403, "no access keys: set the SLUICE_CREDENTIALS secret");
  });

  it("answers a malformed SLUICE_CREDENTIALS with an InternalFailure that names the secret, never serving the request", async () => {
    const broken = '{"AKID": {"secretAccessKey": "s", "accountId": "not-an-account"}}';
    await expectEveryRequestRefused({ SLUICE_CREDENTIALS: broken }, 500, "SLUICE_CREDENTIALS secret is not valid");
  });

  it("serves the keys of SLUICE_CREDENTIALS, and the local pair is then just an unknown key", async () => {
    const mf = await deployed({
      SLUICE_CREDENTIALS: JSON.stringify({ AKIDDEPLOYED: { secretAccessKey: "deployed-secret", accountId: "222222222222" } }),
    });
    try {
      const [local] = await requests();
      const refused = await mf.dispatchFetch(local!.url, local!.init);
      expect(refused.status).toBe(403);
      expect(refused.headers.get("x-amzn-query-error")).toBe("InvalidClientTokenId;Sender");
      const [own] = await requests({ accessKeyId: "AKIDDEPLOYED", secretAccessKey: "deployed-secret" });
      const served = await mf.dispatchFetch(own!.url, own!.init);
      expect(served.status, await served.clone().text()).toBe(200);
    } finally {
      await mf.dispose();
    }
  });
});

describe("a deployed Worker's console", () => {
  beforeAll(async () => {
    await buildWorker(script);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const signIn = (mf: Miniflare, origin: string, accessKeyId: string, secretAccessKey: string) =>
    mf.dispatchFetch(`${origin}/console/sign-in`, {
      method: "POST",
      redirect: "manual",
      headers: { origin, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ accessKeyId, secretAccessKey }).toString(),
    });

  it("refuses sign-in, the local pair included, when SLUICE_CREDENTIALS is not set", async () => {
    const mf = await deployed({});
    try {
      const refused = await signIn(mf, "https://sluice.example", README_KEY.accessKeyId, README_KEY.secretAccessKey);
      expect(refused.status).toBe(403);
      expect(refused.headers.get("set-cookie")).toBeNull();
      expect(await refused.text()).toContain("no access keys: set the SLUICE_CREDENTIALS secret");
      const page = await mf.dispatchFetch("https://sluice.example/console/queues", { redirect: "manual" });
      expect(page.status).toBe(303);
      expect(page.headers.get("location")).toBe("/console/sign-in");
    } finally {
      await mf.dispose();
    }
  });

  it("signs in only over https, with a Secure cookie", async () => {
    const mf = await deployed({
      SLUICE_CREDENTIALS: JSON.stringify({ AKIDDEPLOYED: { secretAccessKey: "deployed-secret", accountId: "222222222222" } }),
    });
    try {
      const plain = await signIn(mf, "http://sluice.example", "AKIDDEPLOYED", "deployed-secret");
      expect(plain.status).toBe(403);
      expect(plain.headers.get("set-cookie")).toBeNull();
      expect(await plain.text()).toContain("Sign in over https");
      const signed = await signIn(mf, "https://sluice.example", "AKIDDEPLOYED", "deployed-secret");
      expect(signed.status).toBe(303);
      expect(signed.headers.get("set-cookie")).toMatch(/; HttpOnly; SameSite=Strict; Max-Age=28800; Secure$/);
    } finally {
      await mf.dispose();
    }
  });
});

/** Both requests (signed with the local pair, and unsigned) get `status` with `message` in it. */
async function expectEveryRequestRefused(secrets: Record<string, string>, status: number, message: string) {
  const mf = await deployed(secrets);
  try {
    for (const request of await requests()) {
      const response = await mf.dispatchFetch(request.url, request.init);
      const text = await response.text();
      expect(response.status, text).toBe(status);
      expect(text).toContain(message);
    }
  } finally {
    await mf.dispose();
  }
}

/** A signed ListQueues (with the README's local key unless told otherwise) and an unsigned one. */
async function requests(key: { accessKeyId: string; secretAccessKey: string } = README_KEY) {
  const init = {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.ListQueues" },
    body: "{}",
  };
  const signed = await new AwsClient({ ...key, service: "sqs", region: "us-east-1" }).sign("http://sluice.example/", init);
  return [
    { url: signed.url, init: { method: "POST", headers: Object.fromEntries(signed.headers), body: "{}" } },
    { url: "http://sluice.example/", init },
  ];
}
