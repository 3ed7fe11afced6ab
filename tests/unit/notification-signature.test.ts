/**
 * The string AWS signs for each SNS message type ("Verifying the signatures of Amazon SNS
 * messages"), and signatures of both versions checked with the certificate's public key.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { notificationStringToSign, signNotification, type NotificationFields } from "../../durable-objects/signing/notification-signature.js";
import { signingMaterial } from "../../durable-objects/signing/signing-material.js";
import { publicKeyOf } from "./signing-public-key.js";

const TOPIC = "arn:aws:sns:us-east-1:000000000000:orders";
const NOTIFICATION: NotificationFields = {
  Type: "Notification",
  MessageId: "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
  TopicArn: TOPIC,
  Subject: "My First Message",
  Message: "Hello world!\nsecond line é",
  Timestamp: "2012-05-02T00:54:06.655Z",
};
const CONFIRMATION: NotificationFields = {
  Type: "SubscriptionConfirmation",
  MessageId: "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
  Token: "2336412f37fb",
  TopicArn: TOPIC,
  Message: `You have chosen to subscribe to the topic ${TOPIC}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
  SubscribeURL: `https://sluice.example/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=2336412f37fb`,
  Timestamp: "2012-04-26T20:45:04.751Z",
};

describe("the string to sign", () => {
  it("is a Notification's Message, MessageId, Subject, Timestamp, TopicArn and Type, each name and value on its own line", () => {
    expect(notificationStringToSign(NOTIFICATION)).toBe(
      "Message\nHello world!\nsecond line é\n" +
        "MessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\n" +
        "Subject\nMy First Message\n" +
        "Timestamp\n2012-05-02T00:54:06.655Z\n" +
        `TopicArn\n${TOPIC}\n` +
        "Type\nNotification\n",
    );
  });

  it("leaves Subject out of a Notification published without one", () => {
    const { Subject: _, ...withoutSubject } = NOTIFICATION;
    const text = notificationStringToSign(withoutSubject);
    expect(text).not.toContain("Subject");
    expect(text.startsWith("Message\nHello world!\nsecond line é\nMessageId\n")).toBe(true);
    expect(text.split("\n")).toHaveLength(5 * 2 + 1 + 1); // the message's own newline, and the trailing one
  });

  it("is a confirmation's Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn and Type", () => {
    expect(notificationStringToSign(CONFIRMATION)).toBe(
      `Message\n${CONFIRMATION.Message}\n` +
        "MessageId\n165545c9-2a5c-472c-8df2-7ff2be2b3b1b\n" +
        `SubscribeURL\n${CONFIRMATION.SubscribeURL}\n` +
        "Timestamp\n2012-04-26T20:45:04.751Z\n" +
        "Token\n2336412f37fb\n" +
        `TopicArn\n${TOPIC}\n` +
        "Type\nSubscriptionConfirmation\n",
    );
    const unsubscribe: NotificationFields = { ...CONFIRMATION, Type: "UnsubscribeConfirmation" };
    expect(notificationStringToSign(unsubscribe).endsWith("Type\nUnsubscribeConfirmation\n")).toBe(true);
  });
});

describe("signNotification", () => {
  it("signs with SHA1withRSA for SignatureVersion 1 and SHA256withRSA for 2", async () => {
    const material = await signingMaterial(env);
    const data = new TextEncoder().encode(notificationStringToSign(NOTIFICATION));
    for (const [version, hash] of [["1", "SHA-1"], ["2", "SHA-256"]] as const) {
      const signature = Uint8Array.from(atob(await signNotification(NOTIFICATION, version, material)), (c) => c.charCodeAt(0));
      expect(signature.length).toBe(256); // RSA 2048
      expect(await crypto.subtle.verify("RSASSA-PKCS1-v1_5", await publicKeyOf(env, hash), signature, data)).toBe(true);
      const other = hash === "SHA-1" ? "SHA-256" : "SHA-1";
      expect(await crypto.subtle.verify("RSASSA-PKCS1-v1_5", await publicKeyOf(env, other), signature, data)).toBe(false);
    }
  });

  it("gives a signature that no longer verifies once a signed field changes", async () => {
    const material = await signingMaterial(env);
    const signature = Uint8Array.from(atob(await signNotification(CONFIRMATION, "2", material)), (c) => c.charCodeAt(0));
    const tampered: NotificationFields = { ...CONFIRMATION, Token: "0000" };
    const key = await publicKeyOf(env, "SHA-256");
    const verify = (fields: NotificationFields) =>
      crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, signature, new TextEncoder().encode(notificationStringToSign(fields)));
    expect(await verify(CONFIRMATION)).toBe(true);
    expect(await verify(tampered)).toBe(false);
  });
});
