/** SigV4 authentication through the Sluice SDK (aws4fetch signing, AWS JSON 1.0). */
import { vi } from "vitest";
import { SluiceClient } from "../../../sdk/client.js";
import { SluiceError } from "../../../sdk/errors.js";
import { authSuite, type Probe } from "./auth-suite.js";
import { PROBE_QUEUE } from "./tamper-proxy.js";

const probe: Probe = async ({ endpoint, accessKeyId, secretAccessKey, clockMinutes = 0, sendTo }) => {
  const client = new SluiceClient({ endpoint, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
  // The SDK signs with the time of Date: only Date is faked, timers and I/O stay real.
  if (clockMinutes !== 0) {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + clockMinutes * 60_000);
  }
  try {
    if (sendTo) await client.sendMessage({ queueUrl: sendTo, body: "from another account" });
    else await client.createQueue({ queueName: PROBE_QUEUE });
    return { ok: true };
  } catch (error) {
    if (!(error instanceof SluiceError)) throw error;
    return { ok: false, code: error.code, status: error.status, message: error.message };
  } finally {
    vi.useRealTimers();
  }
};

authSuite("Sluice SDK", probe);
