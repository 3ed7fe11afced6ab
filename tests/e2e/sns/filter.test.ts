/**
 * Filter policies end to end: every case of filter-cases.ts (both scopes, every operator) as a
 * real subscription of a queue, raw and enveloped, with a publish through @aws-sdk/client-sns;
 * the queue gets the message exactly when the case says. A third, unfiltered queue on the same
 * topic shows the fan-out has run, so an absence is an answer and not a wait cut short. Then the
 * policies SNS refuses, with its messages, through SetSubscriptionAttributes and Subscribe.
 */
import { CreateTopicCommand, PublishCommand, SetSubscriptionAttributesCommand, SubscribeCommand } from "@aws-sdk/client-sns";
import { describe, expect, it } from "vitest";
import { awsClient, uniqueName } from "../clients.js";
import { FILTER_CASES, INVALID_POLICY_CASES, type FilterCase } from "./filter-cases.js";
import { expectSnsError, receiveAll, snsClient, subscribedQueue } from "./sns-helpers.js";

const sns = snsClient();
const sqs = awsClient();
/** Cases run at once: enough to keep the Worker busy, few enough for a shared machine. */
const PARALLEL = 4;

interface Outcome {
  name: string;
  raw: boolean;
  enveloped: boolean;
}

async function runCase(c: FilterCase): Promise<Outcome> {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName("filter") }));
  const attributes = { FilterPolicy: JSON.stringify(c.policy), FilterPolicyScope: c.scope };
  const [raw, enveloped, control] = await Promise.all([1, 2, 3].map(() => subscribedQueue(sqs, TopicArn!, { prefix: "filter-q" })));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: raw!.arn, Attributes: { ...attributes, RawMessageDelivery: "true" } }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: enveloped!.arn, Attributes: attributes }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: control!.arn, Attributes: { RawMessageDelivery: "true" } }));
  await sns.send(new PublishCommand({ TopicArn, Message: c.body, MessageAttributes: Object.keys(c.attributes).length ? c.attributes : undefined }));
  expect(await receiveAll(sqs, control!.url, 1), `${c.name}: the unfiltered queue got it`).toHaveLength(1);
  const [gotRaw, gotEnveloped] = await Promise.all(
    [raw!, enveloped!].map((q) => receiveAll(sqs, q.url, 1, c.matches ? 10_000 : 600)),
  );
  return { name: c.name, raw: gotRaw!.length === 1, enveloped: gotEnveloped!.length === 1 };
}

describe("filter policies through real subscriptions", () => {
  it(`deliver exactly the matching messages, in every one of the ${FILTER_CASES.length} cases, raw and enveloped`, async () => {
    const outcomes: Outcome[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < FILTER_CASES.length) outcomes.push(await runCase(FILTER_CASES[next++]!));
      }),
    );
    const wrong = outcomes
      .map((o) => ({ ...o, expected: FILTER_CASES.find((c) => c.name === o.name)!.matches }))
      .filter((o) => o.raw !== o.expected || o.enveloped !== o.expected);
    expect(wrong).toEqual([]);
    expect(outcomes).toHaveLength(FILTER_CASES.length);
  }, 240_000);

  it("refuse the policies SNS refuses, with its messages", async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName("filter") }));
    const queue = await subscribedQueue(sqs, TopicArn!);
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: queue.arn }));
    for (const c of INVALID_POLICY_CASES) {
      await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: "FilterPolicyScope", AttributeValue: c.scope }));
      await expectSnsError(
        sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: "FilterPolicy", AttributeValue: c.policy })),
        "InvalidParameterException",
        400,
        c.message,
      );
      await expectSnsError(
        sns.send(
          new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: `${queue.arn}-x`, Attributes: { FilterPolicy: c.policy, FilterPolicyScope: c.scope } }),
        ),
        "InvalidParameterException",
        400,
        c.message.replace("Invalid parameter: ", "Invalid parameter: Attributes Reason: "),
      );
    }
  });
});
