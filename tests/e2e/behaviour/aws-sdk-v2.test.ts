/**
 * The behaviour suite through aws-sdk 2.1490.0 (JS v2), the last version that speaks Query:
 * form-encoded requests POSTed to the queue URL itself, XML responses, and MD5 checks of
 * every body it sends and receives (computeChecksums, on by default).
 */
import { endpoint } from "../clients.js";
import { ClientError, normalizeResult, type SqsAdapter } from "./adapter.js";
import { behaviourSuite } from "./suite.js";

process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = "1";

async function connect(): Promise<SqsAdapter> {
  const { default: AWS } = await import("aws-sdk");
  const client = new AWS.SQS({
    endpoint: endpoint(),
    region: "us-east-1",
    credentials: new AWS.Credentials({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" }),
    maxRetries: 0,
    computeChecksums: true,
    // Leave range checks to the server: the suite asserts the server's answers.
    paramValidation: false,
  });
  // Newer v2 releases speak JSON; this suite is only meaningful while the pin holds.
  const { protocol } = (client as unknown as { api: { protocol: string } }).api;
  if (protocol !== "query") throw new Error(`aws-sdk v2 speaks ${protocol}, expected query: check the version pin`);
  return {
    name: "aws-sdk v2 (Query)",
    protocol: "query",
    modeledExceptions: false,
    async call(action, input) {
      const method = action[0]!.toLowerCase() + action.slice(1);
      const operation = (client as unknown as Record<string, (params: unknown) => AWS.Request<object, AWS.AWSError>>)[method]!;
      try {
        const { ResponseMetadata: _, ...result } = (await operation
          .call(client, withBuffers(input))
          .promise()) as { ResponseMetadata?: unknown };
        return normalizeResult(result) as never;
      } catch (error) {
        const { code, message } = error as AWS.AWSError;
        if (code === undefined) throw error;
        throw new ClientError(code, message);
      }
    },
    async close() {},
  };
}

/** JS v2 serializes blobs from Buffers. */
function withBuffers(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (Array.isArray(value)) return value.map(withBuffers);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withBuffers(v)]));
  }
  return value;
}

behaviourSuite("aws-sdk v2 (Query)", connect);
// The same behaviours on queues of four partitions (durable-objects/partitions.md).
behaviourSuite("aws-sdk v2 (Query), 4 partitions", connect, { partitions: 4 });
