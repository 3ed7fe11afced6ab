/** Real clients pointed at the locally started Worker. */
import { SQSClient } from "@aws-sdk/client-sqs";
import { inject } from "vitest";

export const endpoint = (): string => inject("endpoint");

export function awsClient(): SQSClient {
  return new SQSClient({
    endpoint: endpoint(),
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    maxAttempts: 1,
  });
}

let counter = 0;
/** A queue name unique to this run, so test files never share state. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${process.pid}-${counter}`;
}
