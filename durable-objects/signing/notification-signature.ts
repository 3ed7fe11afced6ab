/**
 * Signing SNS messages as AWS does (AWS's "Verifying the signatures of Amazon SNS messages"):
 * the string to sign is the message's signed fields, each as its name, a newline, its value and
 * a newline, in a fixed order that differs by message type; the signature is RSA PKCS #1 v1.5
 * over it, SHA-1 for SignatureVersion 1 and SHA-256 for 2, in base64.
 */
import type { SigningMaterial } from "./signing-material.js";

export type SignatureVersion = "1" | "2";

/**
 * The fields a message's signature covers, in SNS's names. A Notification signs Subject when it
 * has one; the confirmations sign Token and SubscribeURL instead.
 */
export interface NotificationFields {
  Type: "Notification" | "SubscriptionConfirmation" | "UnsubscribeConfirmation";
  Message: string;
  MessageId: string;
  Subject?: string;
  SubscribeURL?: string;
  Timestamp: string;
  Token?: string;
  TopicArn: string;
}

/** The signed fields of each message type, in the order they are signed (alphabetical, as AWS lists them). */
const NOTIFICATION_FIELDS = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"] as const;
const CONFIRMATION_FIELDS = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"] as const;

export function notificationStringToSign(message: NotificationFields): string {
  const names = message.Type === "Notification" ? NOTIFICATION_FIELDS : CONFIRMATION_FIELDS;
  let text = "";
  for (const name of names) {
    const value = message[name];
    if (value !== undefined) text += `${name}\n${value}\n`;
  }
  return text;
}

export async function signNotification(fields: NotificationFields, signatureVersion: SignatureVersion, key: SigningMaterial): Promise<string> {
  const privateKey = signatureVersion === "1" ? key.sha1Key : key.sha256Key;
  const data = new TextEncoder().encode(notificationStringToSign(fields));
  const signature = new Uint8Array(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", privateKey, data));
  let binary = "";
  for (const byte of signature) binary += String.fromCharCode(byte);
  return btoa(binary);
}
