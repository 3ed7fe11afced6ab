/** The behaviour suite through @aws-sdk/client-sqs (JS v3), which speaks AWS JSON 1.0. */
import * as sqs from "@aws-sdk/client-sqs";
import { awsClient } from "../clients.js";
import { ClientError, normalizeResult, type SqsAdapter } from "./adapter.js";
import { behaviourSuite } from "./suite.js";

type Command = new (input: unknown) => Parameters<sqs.SQSClient["send"]>[0];

function connect(): SqsAdapter {
  const client = awsClient();
  return {
    name: "@aws-sdk/client-sqs v3 (JSON)",
    protocol: "json",
    modeledExceptions: true,
    async call(action, input) {
      const CommandClass = (sqs as unknown as Record<string, Command>)[`${action}Command`]!;
      try {
        const { $metadata: _, ...result } = (await client.send(new CommandClass(input))) as { $metadata: unknown };
        return normalizeResult(result) as never;
      } catch (error) {
        if (!(error instanceof sqs.SQSServiceException)) throw error;
        // Query-compatible JSON: the legacy code arrives in x-amzn-query-error and the SDK exposes it as Code.
        const { Code } = error as { Code?: string };
        throw new ClientError(Code ?? error.name, error.message, error.name);
      }
    },
    async close() {
      client.destroy();
    },
  };
}

behaviourSuite("@aws-sdk/client-sqs v3 (JSON)", async () => connect());
// The same behaviours on queues of four partitions (durable-objects/partitions.md).
behaviourSuite("@aws-sdk/client-sqs v3 (JSON), 4 partitions", async () => connect(), { partitions: 4 });
