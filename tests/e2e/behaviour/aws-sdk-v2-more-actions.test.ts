/**
 * The actions the behaviour suite does not cover, through the Query client aws-sdk 2.1490.0:
 * AddPermission, RemovePermission, ListDeadLetterSourceQueues and the three message move task
 * actions. Each call checks the form the client sent (flattened lists such as AWSAccountId.1 and
 * ActionName.1), the exact XML the server answered, and what the client parsed from it.
 */
import type AWS from "aws-sdk";
import { beforeAll, describe, expect, it } from "vitest";
import { endpoint, uniqueName } from "../clients.js";

process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = "1";

const XMLNS = "http://queue.amazonaws.com/doc/2012-11-05/";
const REQUEST_ID = "<ResponseMetadata><RequestId>[0-9a-f-]{36}</RequestId></ResponseMetadata>";

interface Exchange<T> {
  data: T;
  /** The form-encoded request body, decoded. */
  form: URLSearchParams;
  status: number;
  xml: string;
}

let client: AWS.SQS;

beforeAll(async () => {
  const { default: sdk } = await import("aws-sdk");
  client = new sdk.SQS({
    endpoint: endpoint(),
    region: "us-east-1",
    credentials: new sdk.Credentials({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" }),
    maxRetries: 0,
  });
  const { protocol } = (client as unknown as { api: { protocol: string } }).api;
  if (protocol !== "query") throw new Error(`aws-sdk v2 speaks ${protocol}, expected query: check the version pin`);
});

/** Runs one v2 operation and keeps the raw request and response next to the parsed result. */
async function call<T>(operation: string, params: object): Promise<Exchange<T>> {
  const method = operation[0]!.toLowerCase() + operation.slice(1);
  const request = (client as unknown as Record<string, (p: object) => AWS.Request<T, AWS.AWSError>>)[method]!.call(
    client,
    params,
  );
  let raw: { status: number; xml: string; body: string } | undefined;
  request.on("complete", (response) => {
    raw = {
      status: response.httpResponse.statusCode,
      xml: response.httpResponse.body.toString(),
      // The request this response answers (its typings omit response.request).
      body: String(request.httpRequest.body),
    };
  });
  const outcome = await request.promise().then(
    (data) => ({ data }),
    (error: unknown) => ({ error }),
  );
  const form = new URLSearchParams(raw!.body);
  expect(form.get("Action")).toBe(operation);
  expect(form.get("Version")).toBe("2012-11-05");
  if ("error" in outcome) throw Object.assign(outcome.error as object, { form, xml: raw!.xml, status: raw!.status });
  return { data: outcome.data, form, status: raw!.status, xml: raw!.xml };
}

async function failure(operation: string, params: object): Promise<AWS.AWSError & { xml: string; form: URLSearchParams }> {
  try {
    await call(operation, params);
  } catch (error) {
    return error as AWS.AWSError & { xml: string; form: URLSearchParams };
  }
  throw new Error(`${operation} was expected to fail`);
}

/** The whole response of an action without a result element. */
const emptyResponse = (action: string) => new RegExp(`^<\\?xml version="1.0"\\?><${action}Response xmlns="${XMLNS}">${REQUEST_ID}</${action}Response>$`);

async function createQueue(prefix: string, attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
  const { data } = await call<AWS.SQS.CreateQueueResult>("CreateQueue", { QueueName: uniqueName(prefix), Attributes: attributes });
  const { data: read } = await call<AWS.SQS.GetQueueAttributesResult>("GetQueueAttributes", {
    QueueUrl: data.QueueUrl,
    AttributeNames: ["QueueArn"],
  });
  return { url: data.QueueUrl!, arn: read.Attributes!.QueueArn! };
}

async function policy(queueUrl: string): Promise<{ Statement: { Sid: string }[] } | undefined> {
  const { data } = await call<AWS.SQS.GetQueueAttributesResult>("GetQueueAttributes", { QueueUrl: queueUrl, AttributeNames: ["Policy"] });
  const raw = data.Attributes?.Policy;
  return raw === undefined ? undefined : JSON.parse(raw);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("AddPermission and RemovePermission over Query", () => {
  it("sends flattened AWSAccountId and ActionName lists and stores the statement in Policy", async () => {
    const queue = await createQueue("v2-perms");
    const added = await call("AddPermission", {
      QueueUrl: queue.url,
      Label: "readers",
      AWSAccountIds: ["111122223333", "444455556666"],
      Actions: ["ReceiveMessage", "GetQueueAttributes"],
    });
    expect(Object.fromEntries(added.form)).toMatchObject({
      Label: "readers",
      "AWSAccountId.1": "111122223333",
      "AWSAccountId.2": "444455556666",
      "ActionName.1": "ReceiveMessage",
      "ActionName.2": "GetQueueAttributes",
    });
    expect(added.status).toBe(200);
    expect(added.xml).toMatch(emptyResponse("AddPermission"));
    expect(await policy(queue.url)).toEqual({
      Version: "2008-10-17",
      Id: `${queue.arn}/SQSDefaultPolicy`,
      Statement: [
        {
          Sid: "readers",
          Effect: "Allow",
          Principal: { AWS: ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"] },
          Action: ["SQS:ReceiveMessage", "SQS:GetQueueAttributes"],
          Resource: queue.arn,
        },
      ],
    });

    const removed = await call("RemovePermission", { QueueUrl: queue.url, Label: "readers" });
    expect(removed.status).toBe(200);
    expect(removed.xml).toMatch(emptyResponse("RemovePermission"));
    expect(await policy(queue.url)).toBeUndefined();
  });

  it("answers ErrorResponse documents for a taken label, an unknown label and a bad action", async () => {
    const queue = await createQueue("v2-perms-bad");
    await call("AddPermission", { QueueUrl: queue.url, Label: "taken", AWSAccountIds: ["111122223333"], Actions: ["*"] });
    const cases = [
      {
        error: await failure("AddPermission", { QueueUrl: queue.url, Label: "taken", AWSAccountIds: ["111122223333"], Actions: ["SendMessage"] }),
        message: "Value taken for parameter Label is invalid. Reason: Already exists.",
      },
      {
        error: await failure("RemovePermission", { QueueUrl: queue.url, Label: "unknown" }),
        message: "Value unknown for parameter Label is invalid. Reason: can't find label.",
      },
      {
        error: await failure("AddPermission", { QueueUrl: queue.url, Label: "fresh", AWSAccountIds: ["111122223333"], Actions: ["Fly"] }),
        message: "Value SQS:Fly for parameter ActionName is invalid. Reason: Please refer to the appropriate WSDL for a list of valid actions. ",
      },
    ];
    for (const { error, message } of cases) {
      expect(error.code).toBe("InvalidParameterValue");
      expect(error.statusCode).toBe(400);
      expect(error.xml).toMatch(
        new RegExp(
          `^<\\?xml version="1.0"\\?><ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>InvalidParameterValue</Code>` +
            `<Message>${escapeRegExp(message)}</Message><Detail/></Error><RequestId>[0-9a-f-]{36}</RequestId></ErrorResponse>$`,
        ),
      );
    }
    const gone = await failure("RemovePermission", { QueueUrl: queue.url.replace(/[^/]+$/, uniqueName("v2-gone")), Label: "taken" });
    expect(gone.code).toBe("AWS.SimpleQueueService.NonExistentQueue");
    expect(await policy(queue.url)).toMatchObject({ Statement: [{ Sid: "taken" }] });
  });
});

describe("dead-letter actions over Query", () => {
  /** A DLQ holding `n` dead letters of one source queue (maxReceiveCount 1). */
  async function deadLetters(n: number) {
    const dlq = await createQueue("v2-dlq");
    const redrive = JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 });
    const source = await createQueue("v2-src", { RedrivePolicy: redrive, VisibilityTimeout: "0" });
    for (let i = 0; i < n; i += 10) {
      const entries = Array.from({ length: Math.min(10, n - i) }, (_, j) => ({ Id: `m${j}`, MessageBody: `body-${i + j}` }));
      await call("SendMessageBatch", { QueueUrl: source.url, Entries: entries });
    }
    // The first receives deliver each message once; later ones move them to the DLQ.
    for (let tries = 0; (await count(dlq.url)) < n; tries++) {
      if (tries > 20) throw new Error("dead letters did not arrive");
      await call("ReceiveMessage", { QueueUrl: source.url, MaxNumberOfMessages: 10 });
    }
    return { dlq, source };
  }

  async function count(queueUrl: string): Promise<number> {
    const { data } = await call<AWS.SQS.GetQueueAttributesResult>("GetQueueAttributes", {
      QueueUrl: queueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    });
    return Number(data.Attributes!.ApproximateNumberOfMessages) + Number(data.Attributes!.ApproximateNumberOfMessagesNotVisible);
  }

  it("lists the source queues of a dead-letter queue as QueueUrl elements", async () => {
    const { dlq, source } = await deadLetters(1);
    const listed = await call<AWS.SQS.ListDeadLetterSourceQueuesResult>("ListDeadLetterSourceQueues", { QueueUrl: dlq.url });
    expect(listed.xml).toMatch(
      new RegExp(
        `^<\\?xml version="1.0"\\?><ListDeadLetterSourceQueuesResponse xmlns="${XMLNS}"><ListDeadLetterSourceQueuesResult>` +
          `<QueueUrl>${escapeRegExp(source.url)}</QueueUrl></ListDeadLetterSourceQueuesResult>${REQUEST_ID}</ListDeadLetterSourceQueuesResponse>$`,
      ),
    );
    expect(listed.data.queueUrls).toEqual([source.url]);
    const none = await call<AWS.SQS.ListDeadLetterSourceQueuesResult>("ListDeadLetterSourceQueues", { QueueUrl: source.url });
    expect(none.xml).toContain("<ListDeadLetterSourceQueuesResult/>");
    // An empty flattened list has no elements, so the v2 parser leaves the member out.
    expect(none.data.queueUrls ?? []).toEqual([]);
    const gone = await failure("ListDeadLetterSourceQueues", { QueueUrl: dlq.url.replace(/[^/]+$/, uniqueName("v2-gone")) });
    expect(gone.code).toBe("AWS.SimpleQueueService.NonExistentQueue");
  });

  it("starts, lists and cancels a message move task", async () => {
    const { dlq, source } = await deadLetters(20);
    const started = await call<AWS.SQS.StartMessageMoveTaskResult>("StartMessageMoveTask", {
      SourceArn: dlq.arn,
      DestinationArn: source.arn,
      MaxNumberOfMessagesPerSecond: 5,
    });
    expect(Object.fromEntries(started.form)).toMatchObject({ SourceArn: dlq.arn, DestinationArn: source.arn, MaxNumberOfMessagesPerSecond: "5" });
    const handle = started.data.TaskHandle!;
    expect(handle).toBeTruthy();
    expect(started.xml).toMatch(
      new RegExp(
        `^<\\?xml version="1.0"\\?><StartMessageMoveTaskResponse xmlns="${XMLNS}"><StartMessageMoveTaskResult>` +
          `<TaskHandle>${escapeRegExp(handle)}</TaskHandle></StartMessageMoveTaskResult>${REQUEST_ID}</StartMessageMoveTaskResponse>$`,
      ),
    );

    const running = await call<AWS.SQS.ListMessageMoveTasksResult>("ListMessageMoveTasks", { SourceArn: dlq.arn, MaxResults: 10 });
    expect(running.xml).toMatch(
      new RegExp(
        `<ListMessageMoveTasksResult><ListMessageMoveTasksResultEntry><Status>RUNNING</Status><SourceArn>${escapeRegExp(dlq.arn)}</SourceArn>` +
          `<ApproximateNumberOfMessagesMoved>\\d+</ApproximateNumberOfMessagesMoved>` +
          `<ApproximateNumberOfMessagesToMove>20</ApproximateNumberOfMessagesToMove><StartedTimestamp>\\d+</StartedTimestamp>` +
          `<TaskHandle>${escapeRegExp(handle)}</TaskHandle><DestinationArn>${escapeRegExp(source.arn)}</DestinationArn>` +
          `<MaxNumberOfMessagesPerSecond>5</MaxNumberOfMessagesPerSecond></ListMessageMoveTasksResultEntry></ListMessageMoveTasksResult>`,
      ),
    );
    expect(running.data.Results).toEqual([
      expect.objectContaining({ Status: "RUNNING", TaskHandle: handle, SourceArn: dlq.arn, DestinationArn: source.arn, ApproximateNumberOfMessagesToMove: 20 }),
    ]);

    await sleep(500);
    const cancelled = await call<AWS.SQS.CancelMessageMoveTaskResult>("CancelMessageMoveTask", { TaskHandle: handle });
    const moved = cancelled.data.ApproximateNumberOfMessagesMoved!;
    expect(moved).toBeLessThan(20);
    expect(cancelled.xml).toMatch(
      new RegExp(
        `^<\\?xml version="1.0"\\?><CancelMessageMoveTaskResponse xmlns="${XMLNS}"><CancelMessageMoveTaskResult>` +
          `<ApproximateNumberOfMessagesMoved>${moved}</ApproximateNumberOfMessagesMoved></CancelMessageMoveTaskResult>${REQUEST_ID}</CancelMessageMoveTaskResponse>$`,
      ),
    );
    let task = (await call<AWS.SQS.ListMessageMoveTasksResult>("ListMessageMoveTasks", { SourceArn: dlq.arn })).data.Results![0]!;
    for (let i = 0; i < 20 && task.Status !== "CANCELLED"; i++) {
      await sleep(250);
      task = (await call<AWS.SQS.ListMessageMoveTasksResult>("ListMessageMoveTasks", { SourceArn: dlq.arn })).data.Results![0]!;
    }
    expect(task.Status).toBe("CANCELLED");
    // Only a running task lists its handle.
    expect(task.TaskHandle).toBeUndefined();
    expect((await count(source.url)) + (await count(dlq.url))).toBe(20);
  }, 20_000);

  it("answers move task errors as ErrorResponse documents", async () => {
    const plain = await createQueue("v2-plain");
    const notDlq = await failure("StartMessageMoveTask", { SourceArn: plain.arn });
    expect(notDlq.code).toBe("InvalidParameterValue");
    expect(notDlq.xml).toContain("<Message>Source queue must be configured as a Dead Letter Queue.</Message>");
    const missing = await failure("StartMessageMoveTask", { SourceArn: plain.arn.replace(/:[^:]+$/, ":nope") });
    expect(missing.code).toBe("ResourceNotFoundException");
    expect(missing.xml).toMatch(/<Type>Sender<\/Type><Code>ResourceNotFoundException<\/Code>/);
    const badHandle = await failure("CancelMessageMoveTask", { TaskHandle: "garbage" });
    expect(badHandle.code).toBe("InvalidParameterValue");
    expect(badHandle.statusCode).toBe(400);
    const empty = await call<AWS.SQS.ListMessageMoveTasksResult>("ListMessageMoveTasks", { SourceArn: plain.arn });
    expect(empty.xml).toMatch(
      new RegExp(`<ListMessageMoveTasksResponse xmlns="${XMLNS}"><ListMessageMoveTasksResult/>${REQUEST_ID}`),
    );
    expect(empty.data.Results ?? []).toEqual([]);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
