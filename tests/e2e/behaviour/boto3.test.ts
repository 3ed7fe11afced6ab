/**
 * The behaviour suite through Debian's python3-boto3 1.26.27 (botocore 1.29.27, Query protocol),
 * driven over stdin/stdout by boto3_driver.py in one long-lived Python process.
 */
import { endpoint } from "../clients.js";
import { ClientError, normalizeResult, type SqsAdapter } from "./adapter.js";
import { requireDebianClient, skipDebianClient } from "./debian.js";
import { startPythonDriver } from "./python-driver.js";
import { behaviourSuite } from "./suite.js";

interface Versions {
  boto3: string;
  botocore: string;
  protocol: string;
}

interface Reply {
  result?: unknown;
  error?: { code: string; message: string; exception?: string };
}

async function connect(): Promise<SqsAdapter> {
  requireDebianClient("boto3");
  const driver = await startPythonDriver<Versions>("boto3_driver.py", [endpoint()], {
    replacer: bytesAsBase64,
    reviver: base64AsBytes,
  });
  const { boto3, botocore, protocol } = driver.ready;
  if (protocol !== "query") {
    driver.close();
    throw new Error(`boto3 ${boto3} (botocore ${botocore}) speaks ${protocol}; this suite needs Debian's Query-era boto3`);
  }
  return {
    name: `boto3 ${boto3} (Query)`,
    protocol: "query",
    modeledExceptions: true,
    async call(action, input) {
      const reply = await driver.request<Reply>({ action, input });
      if (reply.error) throw new ClientError(reply.error.code, reply.error.message, reply.error.exception);
      return normalizeResult(reply.result) as never;
    },
    async close() {
      driver.close();
    },
  };
}

/** Bytes cross the pipe as {"$bytes": base64} both ways (see boto3_driver.py). */
function bytesAsBase64(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? { $bytes: Buffer.from(value).toString("base64") } : value;
}

function base64AsBytes(_key: string, value: unknown): unknown {
  if (typeof value === "object" && value !== null && Object.keys(value).length === 1) {
    const { $bytes } = value as { $bytes?: unknown };
    if (typeof $bytes === "string") return new Uint8Array(Buffer.from($bytes, "base64"));
  }
  return value;
}

behaviourSuite("boto3 (Query, Debian)", connect, { skip: skipDebianClient("boto3") });
// The same behaviours on queues of four partitions (durable-objects/partitions.md).
behaviourSuite("boto3 (Query, Debian), 4 partitions", connect, { skip: skipDebianClient("boto3"), partitions: 4 });
