/** AccessDenied on the Query protocol (aws-sdk v2): the XML error document, code AccessDenied, HTTP 403. */
import type AWS from "aws-sdk";
import { expect, it } from "vitest";
import { MAIN_KEY, OTHER_KEY } from "../../keys.js";
import { endpoint, uniqueName } from "../clients.js";

process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = "1";

async function v2Client(key: typeof MAIN_KEY): Promise<AWS.SQS> {
  const { default: sdk } = await import("aws-sdk");
  return new sdk.SQS({
    endpoint: endpoint(),
    region: "us-east-1",
    credentials: new sdk.Credentials({ accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey }),
    maxRetries: 0,
  });
}

it("answers another account's SendMessage with the Query XML AccessDenied error and HTTP 403", async () => {
  const owner = await v2Client(MAIN_KEY);
  const other = await v2Client(OTHER_KEY);
  const { QueueUrl } = await owner.createQueue({ QueueName: uniqueName("query-denied") }).promise();
  const request = other.sendMessage({ QueueUrl: QueueUrl!, MessageBody: "x" });
  let body = "";
  request.on("complete", (response) => {
    body = String(response.httpResponse.body);
  });
  const error = (await request.promise().then(
    () => undefined,
    (e: AWS.AWSError) => e,
  ))!;
  expect(error.code).toBe("AccessDenied");
  expect(error.statusCode).toBe(403);
  expect(error.message).toBe(`Access to the resource ${QueueUrl} is denied.`);
  expect(body).toContain("<ErrorResponse");
  expect(body).toContain("<Code>AccessDenied</Code>");
  expect(body).toContain("<Type>Sender</Type>");
});
