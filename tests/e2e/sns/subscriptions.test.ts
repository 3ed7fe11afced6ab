/** Subscribe, ConfirmSubscription, Unsubscribe, the listings and subscription attributes, with @aws-sdk/client-sns. */
import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  type ListSubscriptionsCommandOutput,
  SetSubscriptionAttributesCommand,
  SubscribeCommand,
  UnsubscribeCommand,
} from "@aws-sdk/client-sns";
import { describe, expect, it } from "vitest";
import { uniqueName } from "../clients.js";
import { expectSnsError, snsClient } from "./sns-helpers.js";

const sns = snsClient();
const QUEUE_ARN = "arn:aws:sqs:us-east-1:000000000000:some-queue";

async function topic(fifo = false): Promise<string> {
  const name = uniqueName("subs") + (fifo ? ".fifo" : "");
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name, Attributes: fifo ? { FifoTopic: "true" } : {} }));
  return TopicArn!;
}

describe("Subscribe", () => {
  it("confirms a queue of the caller's account at once, and is idempotent", async () => {
    const TopicArn = await topic();
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: QUEUE_ARN }));
    expect(SubscriptionArn).toMatch(new RegExp(`^${TopicArn}:[0-9a-f-]{36}$`));
    const again = await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: QUEUE_ARN }));
    expect(again.SubscriptionArn).toBe(SubscriptionArn);
    await expectSnsError(
      sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: QUEUE_ARN, Attributes: { RawMessageDelivery: "true" } })),
      "InvalidParameterException",
      400,
      "Invalid parameter: Attributes Reason: Subscription already exists with different attributes",
    );
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(Attributes).toMatchObject({ SubscriptionsConfirmed: "1", SubscriptionsPending: "0" });
  });

  it("leaves http, https and email pending; ReturnSubscriptionArn answers the ARN anyway", async () => {
    const TopicArn = await topic();
    for (const [Protocol, Endpoint] of [
      ["http", "http://127.0.0.1:1/hook"],
      ["https", "https://127.0.0.1:9/hook"],
      ["email", "someone@example.com"],
      ["email-json", "someone@example.com"],
    ] as const) {
      const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol, Endpoint }));
      expect(SubscriptionArn, Protocol).toBe("pending confirmation");
    }
    const returned = await sns.send(
      new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: "http://127.0.0.1:2/x", ReturnSubscriptionArn: true }),
    );
    expect(returned.SubscriptionArn).toMatch(new RegExp(`^${TopicArn}:`));
    const attrs = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: returned.SubscriptionArn }));
    expect(attrs.Attributes).toMatchObject({ PendingConfirmation: "true", Protocol: "http", RawMessageDelivery: "false" });
    expect(JSON.parse(attrs.Attributes!.EffectiveDeliveryPolicy!).healthyRetryPolicy).toMatchObject({ numRetries: 3, minDelayTarget: 20 });
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(Attributes).toMatchObject({ SubscriptionsConfirmed: "0", SubscriptionsPending: "5" });
  });

  it("confirms SMS, Lambda, Firehose and application endpoints at once", async () => {
    const TopicArn = await topic();
    const cases = [
      { Protocol: "sms", Endpoint: "+15555550100" },
      { Protocol: "lambda", Endpoint: "arn:aws:lambda:us-east-1:000000000000:function:f" },
      {
        Protocol: "firehose",
        Endpoint: "arn:aws:firehose:us-east-1:000000000000:deliverystream/s",
        Attributes: { SubscriptionRoleArn: "arn:aws:iam::000000000000:role/r" },
      },
      { Protocol: "application", Endpoint: "arn:aws:sns:us-east-1:000000000000:endpoint/GCM/app/1234" },
    ];
    for (const c of cases) {
      const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, ...c }));
      expect(SubscriptionArn, c.Protocol).toMatch(new RegExp(`^${TopicArn}:`));
    }
  });

  it("checks protocols and endpoints as SNS does", async () => {
    const TopicArn = await topic();
    await expectSnsError(
      sns.send(new SubscribeCommand({ TopicArn, Protocol: "carrier-pigeon", Endpoint: "x" })),
      "InvalidParameterException",
      400,
      "Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon",
    );
    await expectSnsError(
      sns.send(new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: "https://example.com" })),
      "InvalidParameterException",
      400,
      "Invalid parameter: Endpoint must match the specified protocol",
    );
    await expectSnsError(sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: "not-an-arn" })), "InvalidParameterException", 400, "Invalid parameter: SQS endpoint ARN");
    await expectSnsError(sns.send(new SubscribeCommand({ TopicArn, Protocol: "email", Endpoint: "nobody" })), "InvalidParameterException", 400);
    await expectSnsError(
      sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: QUEUE_ARN + ".fifo" })),
      "InvalidParameterException",
      400,
      "Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics",
    );
    await expectSnsError(
      sns.send(new SubscribeCommand({ TopicArn, Protocol: "firehose", Endpoint: "arn:aws:firehose:us-east-1:000000000000:deliverystream/s" })),
      "InvalidParameterException",
      400,
    );
    await expectSnsError(
      sns.send(new SubscribeCommand({ TopicArn: TopicArn + "-none", Protocol: "sqs", Endpoint: QUEUE_ARN })),
      "NotFoundException",
      404,
    );
  });
});

describe("ConfirmSubscription", () => {
  it("refuses a token it never issued", async () => {
    const TopicArn = await topic();
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: "https", Endpoint: "https://127.0.0.1:9/x" }));
    await expectSnsError(sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: "00ff" })), "InvalidParameterException", 400, "Invalid parameter: Token");
  });
});

describe("Unsubscribe", () => {
  it("removes the subscription and counts it as deleted", async () => {
    const TopicArn = await topic();
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: QUEUE_ARN }));
    await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
    await expectSnsError(sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn })), "NotFoundException", 404, "Subscription does not exist");
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(Attributes).toMatchObject({ SubscriptionsConfirmed: "0", SubscriptionsDeleted: "1" });
    await expectSnsError(sns.send(new UnsubscribeCommand({ SubscriptionArn: "nonsense" })), "InvalidParameterException", 400);
  });
});

describe("ListSubscriptions and ListSubscriptionsByTopic", () => {
  it("page 100 at a time; pending ones show PendingConfirmation", async () => {
    const TopicArn = await topic();
    const made = new Set<string>();
    for (let start = 0; start < 105; start += 15) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(15, 105 - start) }, (_, i) =>
          sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: `${QUEUE_ARN}-${start + i}` })),
        ),
      );
      for (const b of batch) made.add(b.SubscriptionArn!);
    }
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: "email", Endpoint: "pending@example.com" }));

    const byTopic: { SubscriptionArn?: string; Endpoint?: string; Protocol?: string; Owner?: string; TopicArn?: string }[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const page = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn, NextToken }));
      expect(page.Subscriptions!.length).toBeLessThanOrEqual(100);
      byTopic.push(...page.Subscriptions!);
      NextToken = page.NextToken;
      pages += 1;
    } while (NextToken);
    expect(pages).toBe(2);
    expect(byTopic).toHaveLength(106);
    expect(new Set(byTopic.filter((s) => s.Protocol === "sqs").map((s) => s.SubscriptionArn))).toEqual(made);
    expect(byTopic.find((s) => s.Protocol === "email")).toEqual({
      SubscriptionArn: "PendingConfirmation",
      Owner: "000000000000",
      Protocol: "email",
      Endpoint: "pending@example.com",
      TopicArn,
    });

    const everywhere: string[] = [];
    NextToken = undefined;
    do {
      const page: ListSubscriptionsCommandOutput = await sns.send(new ListSubscriptionsCommand({ NextToken }));
      expect(page.Subscriptions!.length).toBeLessThanOrEqual(100);
      everywhere.push(...page.Subscriptions!.filter((s) => s.TopicArn === TopicArn).map((s) => s.SubscriptionArn!));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(everywhere.filter((a) => a !== "PendingConfirmation").sort()).toEqual([...made].sort());
    expect(everywhere).toContain("PendingConfirmation");
  }, 60_000);

  it("drop a deleted topic's subscriptions", async () => {
    const TopicArn = await topic();
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: QUEUE_ARN }));
    await sns.send(new DeleteTopicCommand({ TopicArn }));
    const listed: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await sns.send(new ListSubscriptionsCommand({ NextToken }));
      listed.push(...page.Subscriptions!.map((s) => s.SubscriptionArn!));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(listed).not.toContain(SubscriptionArn);
  });
});

describe("GetSubscriptionAttributes and SetSubscriptionAttributes", () => {
  it("report SNS's set for a queue subscription and take the settable ones", async () => {
    const TopicArn = await topic();
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: QUEUE_ARN }));
    let { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
    expect(Attributes).toEqual({
      SubscriptionArn,
      TopicArn,
      Owner: "000000000000",
      Protocol: "sqs",
      Endpoint: QUEUE_ARN,
      ConfirmationWasAuthenticated: "true",
      PendingConfirmation: "false",
      RawMessageDelivery: "false",
      SubscriptionPrincipal: "arn:aws:iam::000000000000:root",
    });
    const filter = JSON.stringify({ kind: ["order"] });
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: "RawMessageDelivery", AttributeValue: "true" }));
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: "FilterPolicy", AttributeValue: filter }));
    await sns.send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn,
        AttributeName: "RedrivePolicy",
        AttributeValue: JSON.stringify({ deadLetterTargetArn: "arn:aws:sqs:us-east-1:000000000000:dlq" }),
      }),
    );
    ({ Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn })));
    expect(Attributes).toMatchObject({ RawMessageDelivery: "true", FilterPolicy: filter, FilterPolicyScope: "MessageAttributes" });
    expect(JSON.parse(Attributes!.RedrivePolicy!)).toEqual({ deadLetterTargetArn: "arn:aws:sqs:us-east-1:000000000000:dlq" });
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: "FilterPolicyScope", AttributeValue: "MessageBody" }));
    ({ Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn })));
    expect(Attributes!.FilterPolicyScope).toBe("MessageBody");
  });

  it("refuse what SNS refuses", async () => {
    const TopicArn = await topic();
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: QUEUE_ARN }));
    const email = await sns.send(new SubscribeCommand({ TopicArn, Protocol: "email", Endpoint: "a@example.com", ReturnSubscriptionArn: true }));
    const set = (arn: string | undefined, AttributeName: string, AttributeValue: string) =>
      sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: arn, AttributeName, AttributeValue }));
    await expectSnsError(set(SubscriptionArn, "Nope", "x"), "InvalidParameterException", 400, "Invalid parameter: AttributeName");
    await expectSnsError(set(SubscriptionArn, "RawMessageDelivery", "yes"), "InvalidParameterException", 400);
    await expectSnsError(
      set(email.SubscriptionArn, "RawMessageDelivery", "true"),
      "InvalidParameterException",
      400,
      "Invalid parameter: Delivery protocol [email] does not support raw message delivery.",
    );
    await expectSnsError(set(SubscriptionArn, "FilterPolicy", "{nope"), "InvalidParameterException", 400);
    await expectSnsError(set(SubscriptionArn, "FilterPolicyScope", "Everything"), "InvalidParameterException", 400);
    await expectSnsError(set(SubscriptionArn, "RedrivePolicy", JSON.stringify({ deadLetterTargetArn: "x" })), "InvalidParameterException", 400);
    await expectSnsError(set(SubscriptionArn, "DeliveryPolicy", "{}"), "InvalidParameterException", 400);
    await expectSnsError(set(TopicArn + ":00000000-0000-0000-0000-000000000000", "RawMessageDelivery", "true"), "NotFoundException", 404);
  });
});
