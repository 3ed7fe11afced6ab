/** SigV4 authentication through @aws-sdk/client-sqs (AWS JSON 1.0), the client most users have. */
import { CreateQueueCommand, SendMessageCommand, SQSClient, SQSServiceException } from "@aws-sdk/client-sqs";
import { authSuite, type Probe } from "./auth-suite.js";
import { PROBE_QUEUE } from "./tamper-proxy.js";

const probe: Probe = async ({ endpoint, accessKeyId, secretAccessKey, clockMinutes = 0, sendTo }) => {
  const sqs = new SQSClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId, secretAccessKey },
    maxAttempts: 1,
    systemClockOffset: clockMinutes * 60_000,
  });
  try {
    if (sendTo) await sqs.send(new SendMessageCommand({ QueueUrl: sendTo, MessageBody: "from another account" }));
    else await sqs.send(new CreateQueueCommand({ QueueName: PROBE_QUEUE }));
    return { ok: true };
  } catch (error) {
    if (!(error instanceof SQSServiceException)) throw error;
    return { ok: false, code: error.name, status: error.$metadata.httpStatusCode, message: error.message };
  } finally {
    sqs.destroy();
  }
};

authSuite("aws-sdk v3 (JSON)", probe);
