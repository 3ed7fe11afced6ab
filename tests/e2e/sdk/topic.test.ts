/** The SDK's typed Topic client against the local Worker: create, subscribe a queue, publish, list, errors, unsubscribe, delete. */
import { describe, expect, it } from "vitest";
import { SluiceError } from "../../../sdk/errors.js";
import { Topic } from "../../../sdk/topic.js";
import { awsClient, endpoint, uniqueName } from "../clients.js";
import { receiveAll, subscribedQueue } from "../sns/sns-helpers.js";
import { CREDENTIALS } from "./sdk-helpers.js";

describe("Topic (sdk/topic.ts)", () => {
  it("creates a topic, fans a publish out to a subscribed queue, and cleans up", async () => {
    const topic = new Topic({ endpoint: endpoint(), credentials: CREDENTIALS, name: uniqueName("sdk-topic") });
    const arn = await topic.create({ attributes: { DisplayName: "SDK" } });
    expect(arn).toBe(`arn:aws:sns:us-east-1:000000000000:${topic.name}`);
    expect(await topic.create({ attributes: { DisplayName: "SDK" } })).toBe(arn);
    expect((await topic.attributes()).DisplayName).toBe("SDK");
    await topic.setAttributes({ DisplayName: "Renamed" });
    expect((await topic.attributes()).DisplayName).toBe("Renamed");

    const sqs = awsClient();
    const queue = await subscribedQueue(sqs, arn);
    const subscriptionArn = await topic.subscribeQueue(queue.arn, { raw: true });
    expect(await topic.subscriptions()).toEqual([{ subscriptionArn, owner: "000000000000", protocol: "sqs", endpoint: queue.arn, topicArn: arn }]);
    const { messageId } = await topic.publish("hello from the SDK", { attributes: { kind: "order", n: { dataType: "Number", stringValue: "3" } } });
    expect(messageId).toMatch(/^[0-9a-f-]{36}$/);
    const [message] = await receiveAll(sqs, queue.url, 1);
    expect(message!.Body).toBe("hello from the SDK");
    expect(message!.MessageAttributes).toEqual({ kind: { DataType: "String", StringValue: "order" }, n: { DataType: "Number", StringValue: "3" } });

    await topic.unsubscribe(subscriptionArn);
    expect(await topic.subscriptions()).toEqual([]);
    await topic.delete();
    const error = await topic.attributes().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SluiceError);
    expect(error).toMatchObject({ code: "NotFound", status: 404, retryable: false });
  });

  it("answers SNS's errors as SluiceErrors", async () => {
    const topic = new Topic({ endpoint: endpoint(), credentials: CREDENTIALS, name: uniqueName("sdk-topic") + ".fifo" });
    await topic.create({ attributes: { FifoTopic: "true" } });
    const error = await topic.publish("no group").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "InvalidParameter", status: 400, message: "Invalid parameter: The MessageGroupId parameter is required for FIFO topics" });
    const { sequenceNumber } = await topic.publish("grouped", { groupId: "g", deduplicationId: "d" });
    expect(sequenceNumber).toMatch(/^\d{20}$/);
  });
});
