/**
 * SigV4 authentication through aws-sdk 2 (Query protocol, XML errors), including its presigned
 * URLs: a URL presigned for 3 seconds works at once and is refused once it has expired.
 */
import { describe, expect, it } from "vitest";
import { MAIN_KEY } from "../../keys.js";
import { endpoint } from "../clients.js";
import { authSuite, type Probe } from "./auth-suite.js";
import { PROBE_QUEUE } from "./tamper-proxy.js";

process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = "1";
const { default: AWS } = await import("aws-sdk");

function client(options: { endpoint: string; accessKeyId: string; secretAccessKey: string; clockMinutes?: number }) {
  return new AWS.SQS({
    endpoint: options.endpoint,
    region: "us-east-1",
    credentials: new AWS.Credentials({ accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }),
    maxRetries: 0,
    systemClockOffset: (options.clockMinutes ?? 0) * 60_000,
    correctClockSkew: false,
  });
}

const probe: Probe = async (options) => {
  try {
    const sqs = client(options);
    if (options.sendTo) await sqs.sendMessage({ QueueUrl: options.sendTo, MessageBody: "from another account" }).promise();
    else await sqs.createQueue({ QueueName: PROBE_QUEUE }).promise();
    return { ok: true };
  } catch (error) {
    const { code, statusCode, message } = error as AWS.AWSError;
    if (code === undefined) throw error;
    return { ok: false, code, status: statusCode, message };
  }
};

authSuite("aws-sdk v2 (Query)", probe);

describe("aws-sdk v2 (Query): presigned URLs", () => {
  // Request.presign works for every service, though the typings declare it for S3 only.
  type Presignable = { presign(expires: number, callback: (error: Error | null, url: string) => void): void };
  const presign = (seconds: number) =>
    new Promise<string>((resolve, reject) =>
      (client({ endpoint: endpoint(), ...MAIN_KEY }).listQueues({ QueueNamePrefix: PROBE_QUEUE }) as unknown as Presignable).presign(
        seconds,
        (error, url) => (error ? reject(error) : resolve(url)),
      ),
    );

  it("serves a presigned URL while it is valid, and refuses it with SignatureDoesNotMatch once expired", async () => {
    // X-Amz-Date has whole seconds: a URL for 1 s signed late in a second could be stale on arrival.
    const url = await presign(3);
    expect(url).toContain("X-Amz-Expires=3");
    const fresh = await fetch(url);
    expect(fresh.status, await fresh.clone().text()).toBe(200);
    expect(await fresh.text()).toContain("<ListQueuesResponse");
    await new Promise((resolve) => setTimeout(resolve, 4_100));
    const expired = await fetch(url);
    expect(expired.status).toBe(403);
    const xml = await expired.text();
    expect(xml).toContain("<Code>SignatureDoesNotMatch</Code>");
    expect(xml).toMatch(/<Message>Signature expired: \d{8}T\d{6}Z is now earlier than/);
  });

  it("refuses a presigned URL whose query was changed", async () => {
    const url = await presign(60);
    const changed = await fetch(url.replace(`QueueNamePrefix=${PROBE_QUEUE}`, "QueueNamePrefix=other"));
    expect(changed.status).toBe(403);
    expect(await changed.text()).toContain("<Code>SignatureDoesNotMatch</Code>");
  });
});
