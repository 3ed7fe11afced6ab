/**
 * Topics through Debian's python3-boto3 1.26 (its botocore writes SNS's Query wire, with SNS's
 * own map encodings): every action once, a fan-out with raw delivery, and SNS's errors as
 * botocore reads them. boto3_sns.py runs the calls and prints one JSON report.
 */
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { endpoint } from "../clients.js";
import { md5OfAttributes } from "../md5-reference.js";
import { clientEnv, DEBIAN_PYTHON, requireDebianClient, skipDebianClient } from "../behaviour/debian.js";

const run = promisify(execFile);
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "boto3_sns.py");

describe.skipIf(skipDebianClient("boto3"))("SNS through Debian's boto3 (Query)", () => {
  it("does every action, fans out, and reads SNS's errors", async () => {
    requireDebianClient("boto3");
    const { stdout } = await run(DEBIAN_PYTHON, [SCRIPT, endpoint()], { env: clientEnv(), timeout: 60_000 });
    const report = JSON.parse(stdout);
    expect(report.protocol).toBe("query");
    const topic: string = report.topic;
    expect(topic).toMatch(/^arn:aws:sns:us-east-1:000000000000:boto-\d+$/);
    expect(report.attributes).toMatchObject({ TopicArn: topic, DisplayName: "Boto", Owner: "000000000000" });
    expect(report.display_name).toBe("Renamed");
    expect(report.tags).toEqual([{ Key: "team", Value: "blue" }]);
    expect(report.data_protection).toContain('"Name":"x"');
    expect(report.subscription).toMatch(new RegExp(`^${topic}:`));
    expect(report.pending).toBe("pending confirmation");
    expect(report.subscription_attributes).toMatchObject({ RawMessageDelivery: "true", FilterPolicy: '{"kind":["order"]}', Protocol: "sqs" });
    expect(report.by_topic).toHaveLength(2);
    expect(report.in_account.map((s: { SubscriptionArn: string }) => s.SubscriptionArn).sort()).toEqual(["PendingConfirmation", report.subscription].sort());
    expect(report.confirm_error).toEqual({ code: "InvalidParameter", status: 400, message: "Invalid parameter: Token" });
    expect(report.batch).toEqual({ Successful: ["a", "b"], Failed: [] });

    const bodies = report.received.map((m: { Body: string }) => m.Body).sort();
    expect(bodies).toEqual(["batch a", "batch b", "hello from boto3"]);
    const single = report.received.find((m: { Body: string }) => m.Body === "hello from boto3");
    expect(single.MessageAttributes).toEqual({
      kind: { DataType: "String", StringValue: "order", BinaryValue: null },
      n: { DataType: "Number", StringValue: "7", BinaryValue: null },
      b: { DataType: "Binary", StringValue: null, BinaryValue: [0, 1] },
    });
    expect(single.MD5OfMessageAttributes).toBe(
      md5OfAttributes({
        kind: { DataType: "String", StringValue: "order" },
        n: { DataType: "Number", StringValue: "7" },
        b: { DataType: "Binary", BinaryValue: new Uint8Array([0, 1]) },
      }),
    );

    expect(report.publish_error).toEqual({ code: "NotFound", status: 404, message: "Topic does not exist" });
    expect(report.attribute_error).toMatchObject({ code: "ParameterValueInvalid", status: 400 });
    expect(report.batch_error).toMatchObject({ code: "BatchEntryIdsNotDistinct", status: 400 });
    expect(report.unsubscribed_error).toMatchObject({ code: "NotFound", status: 404 });
    expect(report.deleted_error).toMatchObject({ code: "NotFound", status: 404 });
  }, 90_000);
});
