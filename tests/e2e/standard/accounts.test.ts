/**
 * Accounts isolate queues: another account's queue is AccessDenied unless its Policy
 * allows the caller, admin actions stay with the owner, receipt handles never cross queues.
 */
import {
  AddPermissionCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  RemovePermissionCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
  TagQueueCommand,
} from "@aws-sdk/client-sqs";
import { beforeAll, describe, expect, it } from "vitest";
import { MAIN_KEY, OTHER_KEY } from "../../keys.js";
import { endpoint, uniqueName } from "../clients.js";

function client(key: typeof MAIN_KEY): SQSClient {
  return new SQSClient({
    endpoint: endpoint(),
    region: "us-east-1",
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
    maxAttempts: 1,
  });
}

const main = client(MAIN_KEY);
const other = client(OTHER_KEY);

interface Failure {
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number };
}

async function failure(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise;
  } catch (error) {
    return error as Failure;
  }
  throw new Error("expected the request to fail");
}

async function expectDenied(promise: Promise<unknown>, queueUrl: string): Promise<void> {
  const error = await failure(promise);
  expect(error.name).toBe("AccessDenied");
  expect(error.message).toBe(`Access to the resource ${queueUrl} is denied.`);
  expect(error.$metadata.httpStatusCode).toBe(403);
}

async function createQueue(sqs: SQSClient, prefix: string, attributes?: Record<string, string>) {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName(prefix), Attributes: attributes }));
  return QueueUrl!;
}

async function arnOf(sqs: SQSClient, QueueUrl: string): Promise<string> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  return Attributes!.QueueArn!;
}

async function receiveOne(sqs: SQSClient, QueueUrl: string) {
  const { Messages } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1, MessageSystemAttributeNames: ["SenderId"] }),
  );
  expect(Messages).toHaveLength(1);
  return Messages![0]!;
}

describe("another account's queue without a policy", () => {
  let url: string;
  beforeAll(async () => {
    url = await createQueue(main, "private");
    await main.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "owner's" }));
  });

  it("refuses every message and queue action with AccessDenied", async () => {
    await expectDenied(other.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "x" })), url);
    await expectDenied(
      other.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: "a", MessageBody: "x" }] })),
      url,
    );
    await expectDenied(other.send(new ReceiveMessageCommand({ QueueUrl: url })), url);
    await expectDenied(other.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: "h" })), url);
    await expectDenied(other.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: "a", ReceiptHandle: "h" }] })), url);
    await expectDenied(
      other.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: "h", VisibilityTimeout: 0 })),
      url,
    );
    await expectDenied(other.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] })), url);
    await expectDenied(other.send(new PurgeQueueCommand({ QueueUrl: url })), url);
    await expectDenied(other.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: url })), url);
    await expectDenied(other.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { DelaySeconds: "5" } })), url);
    await expectDenied(other.send(new TagQueueCommand({ QueueUrl: url, Tags: { team: "other" } })), url);
    await expectDenied(other.send(new ListQueueTagsCommand({ QueueUrl: url })), url);
    await expectDenied(
      other.send(new AddPermissionCommand({ QueueUrl: url, Label: "mine", AWSAccountIds: [OTHER_KEY.accountId], Actions: ["*"] })),
      url,
    );
    await expectDenied(other.send(new RemovePermissionCommand({ QueueUrl: url, Label: "mine" })), url);
    await expectDenied(other.send(new DeleteQueueCommand({ QueueUrl: url })), url);
    // Nothing the other account tried reached the queue.
    const { Attributes } = await main.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "DelaySeconds", "Policy"] }),
    );
    expect(Attributes).toEqual({ ApproximateNumberOfMessages: "1", DelaySeconds: "0" });
  });

  it("refuses a queue that does not exist the same way, so existence does not leak", async () => {
    const missing = `${endpoint()}/${MAIN_KEY.accountId}/${uniqueName("missing")}`;
    await expectDenied(other.send(new SendMessageCommand({ QueueUrl: missing, MessageBody: "x" })), missing);
  });

  it("answers GetQueueUrl with QueueOwnerAWSAccountId as if the queue did not exist", async () => {
    const QueueName = url.split("/").pop()!;
    const error = await failure(
      other.send(new GetQueueUrlCommand({ QueueName, QueueOwnerAWSAccountId: MAIN_KEY.accountId })),
    );
    expect(error.name).toBe("QueueDoesNotExist");
    // The owner finds it under the same parameters.
    const { QueueUrl } = await main.send(new GetQueueUrlCommand({ QueueName, QueueOwnerAWSAccountId: MAIN_KEY.accountId }));
    expect(QueueUrl).toBe(url);
  });
});

describe("a queue shared through AddPermission", () => {
  it("lets the other account send, but not receive, with SendMessage granted; its SenderId is its own", async () => {
    const url = await createQueue(main, "shared-send");
    await main.send(
      new AddPermissionCommand({ QueueUrl: url, Label: "send", AWSAccountIds: [OTHER_KEY.accountId], Actions: ["SendMessage"] }),
    );
    await other.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "from other" }));
    const batch = await other.send(
      new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: "b", MessageBody: "batched" }] }),
    );
    expect(batch.Successful).toHaveLength(1);
    await expectDenied(other.send(new ReceiveMessageCommand({ QueueUrl: url })), url);
    await expectDenied(other.send(new PurgeQueueCommand({ QueueUrl: url })), url);
    const message = await receiveOne(main, url);
    expect(message.Body === "from other" || message.Body === "batched").toBe(true);
    expect(message.Attributes?.SenderId).toBe(OTHER_KEY.accountId);
  });

  it("lets the other account do every message action with *, until RemovePermission takes it away", async () => {
    const url = await createQueue(main, "shared-all");
    await main.send(
      new AddPermissionCommand({ QueueUrl: url, Label: "all", AWSAccountIds: [OTHER_KEY.accountId], Actions: ["*"] }),
    );
    await other.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "one" }));
    const first = await receiveOne(other, url);
    expect(first.Body).toBe("one");
    await other.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: first.ReceiptHandle, VisibilityTimeout: 0 }));
    const again = await receiveOne(other, url);
    await other.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again.ReceiptHandle }));
    const { Attributes } = await other.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }));
    expect(Attributes?.QueueArn).toBe(`arn:aws:sqs:us-east-1:${MAIN_KEY.accountId}:${url.split("/").pop()}`);
    await other.send(new PurgeQueueCommand({ QueueUrl: url }));
    // Administration stays with the owner even with *.
    await expectDenied(other.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { DelaySeconds: "1" } })), url);
    await expectDenied(other.send(new RemovePermissionCommand({ QueueUrl: url, Label: "all" })), url);
    await expectDenied(other.send(new DeleteQueueCommand({ QueueUrl: url })), url);
    // GetQueueUrl across accounts now finds it.
    const { QueueUrl } = await other.send(
      new GetQueueUrlCommand({ QueueName: url.split("/").pop()!, QueueOwnerAWSAccountId: MAIN_KEY.accountId }),
    );
    expect(QueueUrl).toBe(url);

    await main.send(new RemovePermissionCommand({ QueueUrl: url, Label: "all" }));
    await expectDenied(other.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "two" })), url);
    await expectDenied(other.send(new ReceiveMessageCommand({ QueueUrl: url })), url);
  });
});

describe("queue names and listings stay in the caller's account", () => {
  it("lists only the caller's own queues", async () => {
    const prefix = uniqueName("listed");
    const mine = await createQueue(main, `${prefix}-main`);
    const theirs = await createQueue(other, `${prefix}-other`);
    expect(theirs).toContain(`/${OTHER_KEY.accountId}/`);
    const mainList = await main.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
    const otherList = await other.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
    expect(mainList.QueueUrls).toEqual([mine]);
    expect(otherList.QueueUrls).toEqual([theirs]);
  });

  it("resolves a bare queue name in the caller's account", async () => {
    const name = uniqueName("bare");
    const mine = (await main.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    const theirs = (await other.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    expect(theirs).not.toBe(mine);
    await other.send(new SendMessageCommand({ QueueUrl: name, MessageBody: "other's" }));
    expect((await receiveOne(other, theirs)).Body).toBe("other's");
    const { Messages } = await main.send(new ReceiveMessageCommand({ QueueUrl: name }));
    expect(Messages).toBeUndefined();
    const error = await failure(other.send(new GetQueueUrlCommand({ QueueName: uniqueName("nowhere") })));
    expect(error.name).toBe("QueueDoesNotExist");
  });
});

describe("dead-letter targets and move tasks in another account", () => {
  it("refuses a RedrivePolicy whose target is another account's queue, even one that grants SendMessage (as AWS)", async () => {
    const dlq = await createQueue(main, "foreign-dlq");
    const dlqArn = await arnOf(main, dlq);
    const RedrivePolicy = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 });
    const sameAccountOnly = async (attempt: Promise<unknown>) => {
      const error = await failure(attempt);
      expect(error.name).toBe("InvalidParameterValue");
      expect(error.message).toContain("Dead-letter target must be in the same account as the source queue.");
    };
    await sameAccountOnly(other.send(new CreateQueueCommand({ QueueName: uniqueName("src"), Attributes: { RedrivePolicy } })));
    const source = await createQueue(other, "src");
    await sameAccountOnly(other.send(new SetQueueAttributesCommand({ QueueUrl: source, Attributes: { RedrivePolicy } })));
    await main.send(
      new AddPermissionCommand({ QueueUrl: dlq, Label: "dlq", AWSAccountIds: [OTHER_KEY.accountId], Actions: ["*"] }),
    );
    await sameAccountOnly(other.send(new SetQueueAttributesCommand({ QueueUrl: source, Attributes: { RedrivePolicy } })));
    // A queue of another account that does not exist gets the same answer: nothing to probe.
    const missing = JSON.stringify({ deadLetterTargetArn: dlqArn.replace(/[^:]+$/, "no-such-queue"), maxReceiveCount: 1 });
    await sameAccountOnly(other.send(new SetQueueAttributesCommand({ QueueUrl: source, Attributes: { RedrivePolicy: missing } })));
  });

  it("refuses StartMessageMoveTask on another account's DLQ or into another account's queue", async () => {
    const dlq = await createQueue(main, "move-dlq");
    const dlqArn = await arnOf(main, dlq);
    await createQueue(main, "move-src", { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) });
    await expectDenied(other.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn })), dlq);
    const foreign = await createQueue(other, "move-dest");
    await expectDenied(
      main.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, DestinationArn: await arnOf(other, foreign) })),
      foreign,
    );
  });
});

describe("receipt handles are bound to their queue", () => {
  async function handleFrom(sqs: SQSClient, url: string): Promise<string> {
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "m" }));
    return (await receiveOne(sqs, url)).ReceiptHandle!;
  }

  async function expectInvalidOn(sqs: SQSClient, QueueUrl: string, ReceiptHandle: string): Promise<void> {
    expect((await failure(sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle })))).name).toBe(
      "ReceiptHandleIsInvalid",
    );
    expect(
      (await failure(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout: 0 })))).name,
    ).toBe("ReceiptHandleIsInvalid");
  }

  it("refuses a handle of queue A on queue B of the same account", async () => {
    const a = await createQueue(main, "handle-a");
    const b = await createQueue(main, "handle-b");
    await handleFrom(main, b); // B has a message in flight, so only the binding can refuse
    const handle = await handleFrom(main, a);
    await expectInvalidOn(main, b, handle);
    // The handle still works where it belongs.
    await main.send(new DeleteMessageCommand({ QueueUrl: a, ReceiptHandle: handle }));
  });

  it("refuses a handle of a queue with the same name in another account", async () => {
    const name = uniqueName("handle-twin");
    const mine = (await main.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    const theirs = (await other.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    await other.send(
      new AddPermissionCommand({ QueueUrl: theirs, Label: "main", AWSAccountIds: [MAIN_KEY.accountId], Actions: ["*"] }),
    );
    const handle = await handleFrom(main, mine);
    await handleFrom(other, theirs);
    // Allowed on the other queue, so the refusal is the handle's, not AccessDenied.
    await expectInvalidOn(main, theirs, handle);
    const theirHandle = await handleFrom(other, theirs);
    await expectInvalidOn(main, mine, theirHandle);
  });
});
