/**
 * A subscriber's check of an SNS message, as the AWS SDKs' SNS message validators make it: the
 * certificate fetched from SigningCertURL, and the signature verified over the string to sign
 * rebuilt from the JSON envelope alone.
 */
import { verify, X509Certificate } from "node:crypto";
import { expect } from "vitest";

export type Envelope = Record<string, string>;

/**
 * The string to sign as the AWS SDK for PHP's SNS message validator rebuilds it: every signable
 * key the envelope has, in this order, as "key\nvalue\n".
 */
const SIGNABLE_KEYS = ["Message", "MessageId", "Subject", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];

export function peerStringToSign(envelope: Envelope): string {
  return SIGNABLE_KEYS.filter((key) => envelope[key] !== undefined && envelope[key] !== null)
    .map((key) => `${key}\n${envelope[key]}\n`)
    .join("");
}

export async function certificateAt(url: string): Promise<X509Certificate> {
  const response = await fetch(url); // no credentials, as a subscriber fetches it
  expect(response.status).toBe(200);
  return new X509Certificate(await response.text());
}

export function verifies(envelope: Envelope, certificate: X509Certificate): boolean {
  const algorithm = envelope.SignatureVersion === "1" ? "sha1" : "sha256";
  return verify(algorithm, Buffer.from(peerStringToSign(envelope), "utf8"), certificate.publicKey, Buffer.from(envelope.Signature!, "base64"));
}
