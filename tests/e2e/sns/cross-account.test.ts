/**
 * A queue of another account: the topic's owner subscribes it, the queue is sent a
 * SubscriptionConfirmation, its owner confirms with the token, and publishes arrive — as far as
 * the queue's Policy lets the topic in. Another account's topic is used as far as its Policy says.
 */
import { ConfirmSubscriptionCommand, CreateTopicCommand, PublishCommand, SubscribeCommand, AddPermissionCommand } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { OTHER_KEY } from "../../keys.js";
import { endpoint, uniqueName } from "../clients.js";
import { expectSnsError, otherAccountSns, receiveAll, snsClient, subscribedQueue } from "./sns-helpers.js";

const sns = snsClient();
const otherSqs = () =>
  new SQSClient({ endpoint: endpoint(), region: "us-east-1", credentials: { accessKeyId: OTHER_KEY.accessKeyId, secretAccessKey: OTHER_KEY.secretAccessKey }, maxAttempts: 1 });

describe("another account's queue", () => {
  it("is sent a SubscriptionConfirmation; once its owner confirms, it gets the topic's messages", async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName("cross") }));
    const sqs = otherSqs();
    const queue = await subscribedQueue(sqs, TopicArn!);
    expect(queue.arn).toContain(":111111111111:");
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: queue.arn }));
    expect(SubscriptionArn).toBe("pending confirmation");
    await sns.send(new PublishCommand({ TopicArn, Message: "before confirmation" }));

    const [confirmation] = await receiveAll(sqs, queue.url, 1, 10_000, { remove: true });
    const body = JSON.parse(confirmation!.Body!);
    expect(body).toMatchObject({ Type: "SubscriptionConfirmation", TopicArn });
    const { SubscriptionArn: confirmed } = await otherAccountSns().send(new ConfirmSubscriptionCommand({ TopicArn, Token: body.Token }));
    expect(confirmed).toMatch(new RegExp(`^${TopicArn}:`));

    await sns.send(new PublishCommand({ TopicArn, Message: "after confirmation" }));
    const messages = await receiveAll(sqs, queue.url, 2, 4000, { remove: true });
    expect(messages.map((m) => JSON.parse(m.Body!).Message)).toEqual(["after confirmation"]);
  });

  it("may publish to a topic whose Policy lets it, and not otherwise", async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName("cross") }));
    const other = otherAccountSns();
    await expectSnsError(other.send(new PublishCommand({ TopicArn, Message: "x" })), "AuthorizationErrorException", 403);
    await sns.send(new AddPermissionCommand({ TopicArn, Label: "pub", AWSAccountId: ["111111111111"], ActionName: ["Publish"] }));
    const { MessageId } = await other.send(new PublishCommand({ TopicArn, Message: "x" }));
    expect(MessageId).toBeDefined();
    await expectSnsError(other.send(new SubscribeCommand({ TopicArn, Protocol: "sms", Endpoint: "+15555550100" })), "AuthorizationErrorException", 403);
  });
});
