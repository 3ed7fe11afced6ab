/**
 * The behaviour suite through Debian's awscli 2.9.19, whose bundled botocore speaks Query.
 * Every call is an `aws --endpoint-url … sqs <command> --cli-input-json …` command line. The
 * suite runs them through awscli_driver.py (the `aws` entry point in one long-lived Python, as a
 * process per call costs ~0.5 s of CPU); a final test runs the real /usr/bin/aws binary with
 * plain command-line options.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { endpoint, uniqueName } from "../clients.js";
import { ClientError, kebabCase, normalizeResult, type SqsAdapter } from "./adapter.js";
import { clientEnv, DEBIAN_AWS, requireDebianClient, skipDebianClient } from "./debian.js";
import { expectedAttributesMd5, expectedBodyMd5 } from "./expected-md5.js";
import { startPythonDriver } from "./python-driver.js";
import { behaviourSuite } from "./suite.js";

/** What awscli_driver.py reports first: versions, and the protocol its sqs client speaks. */
interface Versions {
  awscli: string;
  botocore: string;
  protocol: string;
}

interface CliRun {
  rc: number;
  stdout: string;
  stderr: string;
}

const CLI_ERROR = /An error occurred \(([^)]+)\) when calling the \w+ operation(?: \([^)]*\))?: ([\s\S]*)$/;

/** The CLI's JSON output, or its printed error as a ClientError. */
function outcome(run: CliRun): unknown {
  if (run.rc === 0) return normalizeResult(run.stdout.trim() === "" ? {} : JSON.parse(run.stdout));
  const match = CLI_ERROR.exec(run.stderr.trim());
  if (!match) throw new Error(`aws exited with ${run.rc}: ${run.stderr}`);
  throw new ClientError(match[1]!, match[2]!.trim());
}

function commandLine(action: string, input: unknown): string[] {
  // Blobs in --cli-input-json are base64 text (cli_binary_format base64, v2's default).
  const json = JSON.stringify(input, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString("base64") : v));
  return ["--endpoint-url", endpoint(), "--output", "json", "sqs", kebabCase(action), "--cli-input-json", json];
}

async function connect(): Promise<SqsAdapter> {
  requireDebianClient("awscli");
  const driver = await startPythonDriver<Versions>("awscli_driver.py", [endpoint()]);
  const { awscli, botocore, protocol } = driver.ready;
  // Newer awscli releases speak JSON; this suite is only meaningful while Debian's stays on Query.
  if (protocol !== "query") {
    driver.close();
    throw new Error(`awscli ${awscli} (botocore ${botocore}) speaks ${protocol}; this suite needs Debian's Query-era awscli`);
  }
  return {
    name: `awscli ${awscli} (Query)`,
    protocol: "query",
    modeledExceptions: false,
    async call(action, input) {
      return outcome(await driver.request<CliRun>({ args: commandLine(action, input) })) as never;
    },
    async close() {
      driver.close();
    },
  };
}

const SKIP = skipDebianClient("awscli");

behaviourSuite("awscli (Query, Debian)", connect, { skip: SKIP });
// The same behaviours on queues of four partitions (durable-objects/partitions.md).
behaviourSuite("awscli (Query, Debian), 4 partitions", connect, { skip: SKIP, partitions: 4 });

describe.skipIf(SKIP)("the aws binary", () => {
  const aws = async (...args: string[]): Promise<unknown> => {
    requireDebianClient("awscli");
    const run = await promisify(execFile)(DEBIAN_AWS, ["--endpoint-url", endpoint(), "--output", "json", ...args], {
      env: clientEnv(),
    }).then(
      ({ stdout, stderr }) => ({ rc: 0, stdout, stderr }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({ rc: e.code ?? 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" }),
    );
    return outcome(run);
  };

  it("sends and receives with plain command-line options", async () => {
    const { QueueUrl } = (await aws("sqs", "create-queue", "--queue-name", uniqueName("cli"), "--attributes", "VisibilityTimeout=40")) as {
      QueueUrl: string;
    };
    const body = "<cli> & \"friends\" 😀";
    const attributes = '{"kind":{"DataType":"String.label","StringValue":"a&b"},"n":{"DataType":"Number","StringValue":"7"}}';
    const sent = (await aws("sqs", "send-message", "--queue-url", QueueUrl, "--message-body", body, "--message-attributes", attributes)) as {
      MD5OfMessageBody: string;
      MD5OfMessageAttributes: string;
    };
    const expected = { kind: { DataType: "String.label", StringValue: "a&b" }, n: { DataType: "Number", StringValue: "7" } };
    expect(sent.MD5OfMessageBody).toBe(expectedBodyMd5(body));
    expect(sent.MD5OfMessageAttributes).toBe(expectedAttributesMd5(expected));
    const received = (await aws("sqs", "receive-message", "--queue-url", QueueUrl, "--message-attribute-names", "All")) as {
      Messages: { Body: string; MessageAttributes: unknown }[];
    };
    expect(received.Messages.map((m) => [m.Body, m.MessageAttributes])).toEqual([[body, expected]]);
    await expect(aws("sqs", "get-queue-url", "--queue-name", uniqueName("missing"))).rejects.toMatchObject({
      code: "AWS.SimpleQueueService.NonExistentQueue",
      message: "The specified queue does not exist for this wsdl version.",
    });
  });
});
