/**
 * The authentication cases every client must meet: the same request (CreateQueue of
 * PROBE_QUEUE) made by a real client, correctly signed and in each of the ways it can be wrong,
 * and the exact AWS error each one gets.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AddPermissionCommand, CreateQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import { MAIN_KEY, OTHER_KEY } from "../../keys.js";
import { endpoint, uniqueName } from "../clients.js";
import { startTamperProxy, type TamperProxy } from "./tamper-proxy.js";

export interface ProbeOptions {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The client's clock runs this many minutes behind. */
  clockMinutes?: number;
  /** Instead of CreateQueue, SendMessage to this queue URL (another account's queue). */
  sendTo?: string;
}

/** What the client reported: success, or the error code (and HTTP status, where the client exposes it). */
export type Outcome = { ok: true } | { ok: false; code: string; status?: number; message?: string };

export type Probe = (options: ProbeOptions) => Promise<Outcome>;

export interface AuthSuiteOptions {
  /** Skip the whole suite: a local run without the client. */
  skip?: boolean;
  /** Skip only the 20-minutes-ago case: a local run without the tool that shifts the client's clock. */
  skipOldClock?: boolean;
  /** Why the client cannot name another account's queue at all, if it cannot. */
  noCrossAccount?: string;
}

export function authSuite(name: string, probe: Probe, options: AuthSuiteOptions = {}): void {
  describe.skipIf(options.skip ?? false)(`${name}: SigV4 authentication`, () => {
    let proxy: TamperProxy;
    beforeAll(async () => {
      proxy = await startTamperProxy(endpoint());
    });
    afterAll(async () => {
      await proxy?.close();
    });
    const direct = (change: Partial<ProbeOptions> = {}) => probe({ endpoint: endpoint(), ...MAIN_KEY, ...change });
    const throughProxy = async (tamper: TamperProxy["tamper"]) => {
      proxy.tamper = tamper;
      return probe({ endpoint: proxy.endpoint, ...MAIN_KEY });
    };
    const denied = (code: string, status: number, message?: RegExp) => ({ ok: false as const, code, status, message });

    it("succeeds when signed with a configured key, directly and through the (untouched) proxy", async () => {
      expect(await direct()).toEqual({ ok: true });
      expect(await throughProxy("none")).toEqual({ ok: true });
    });

    it("answers a request without a signature with MissingAuthenticationToken (403)", async () => {
      expectOutcome(await throughProxy("strip-signature"), denied("MissingAuthenticationToken", 403));
    });

    it("answers a wrong secret with SignatureDoesNotMatch (403)", async () => {
      expectOutcome(await direct({ secretAccessKey: "not-the-secret" }), denied("SignatureDoesNotMatch", 403));
    });

    it("answers an unknown access key with InvalidClientTokenId (403)", async () => {
      expectOutcome(await direct({ accessKeyId: "AKIDNOSUCHKEY" }), denied("InvalidClientTokenId", 403));
    });

    it("answers a body changed after signing with SignatureDoesNotMatch (403)", async () => {
      expectOutcome(await throughProxy("body"), denied("SignatureDoesNotMatch", 403));
    });

    it("answers a signed header changed after signing with SignatureDoesNotMatch (403)", async () => {
      expectOutcome(await throughProxy("signed-header"), denied("SignatureDoesNotMatch", 403));
    });

    it("answers a second, garbage Authorization header with IncompleteSignature (400)", async () => {
      expectOutcome(await throughProxy("second-authorization"), denied("IncompleteSignature", 400, /^'garbage' not a valid key=value pair \(missing equal-sign\)/));
    });

    it("answers an unknown Authorization parameter after the signature with IncompleteSignature (400)", async () => {
      expectOutcome(await throughProxy("extra-auth-parameter"), denied("IncompleteSignature", 400, /^'X=aaaa' is not a parameter of a SigV4 Authorization header/));
    });

    it("answers a SignedHeaders list naming a header the request does not carry with SignatureDoesNotMatch (403)", async () => {
      expectOutcome(await throughProxy("unsent-signed-header"), denied("SignatureDoesNotMatch", 403));
    });

    it.skipIf(options.skipOldClock ?? false)("answers a request signed 20 minutes ago with SignatureDoesNotMatch, Signature expired (403)", async () => {
      expectOutcome(
        await direct({ clockMinutes: -20 }),
        denied("SignatureDoesNotMatch", 403, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/),
      );
    });

    // Not registered at all for a client that cannot name such a queue (noCrossAccount says why).
    if (options.noCrossAccount === undefined) it(
      "answers another account's queue with AccessDenied (403), and serves it once AddPermission allowed the caller's account",
      async () => {
        const owner = new SQSClient({ endpoint: endpoint(), region: "us-east-1", credentials: OTHER_KEY, maxAttempts: 1 });
        try {
          const { QueueUrl } = await owner.send(new CreateQueueCommand({ QueueName: uniqueName("auth-cross") }));
          expectOutcome(await direct({ sendTo: QueueUrl }), denied("AccessDenied", 403, /^Access to the resource .+ is denied\.$/));
          await owner.send(
            new AddPermissionCommand({ QueueUrl, Label: "main", AWSAccountIds: [MAIN_KEY.accountId], Actions: ["SendMessage"] }),
          );
          expect(await direct({ sendTo: QueueUrl })).toEqual({ ok: true });
        } finally {
          owner.destroy();
        }
      },
    );
  });
}

/** Status and message are checked where the client reports them. */
function expectOutcome(outcome: Outcome, expected: { ok: false; code: string; status: number; message?: RegExp }): void {
  expect(outcome.ok, JSON.stringify(outcome)).toBe(false);
  if (outcome.ok) return;
  expect(outcome.code, JSON.stringify(outcome)).toBe(expected.code);
  if (outcome.status !== undefined) expect(outcome.status).toBe(expected.status);
  if (expected.message) expect(outcome.message).toMatch(expected.message);
}
