/**
 * The deployment's signing key as it is kept: an RSA 2048 private key (PKCS #8) and the
 * self-signed certificate over its public half, made once by WebCrypto.
 */
import { selfSignedCertificate } from "./certificate.js";

export interface StoredSigningKey {
  /** PKCS #8 DER of the RSA private key. */
  privateKey: Uint8Array;
  /** DER of the self-signed X.509 certificate. */
  certificate: Uint8Array;
}

/**
 * The subject names the software, not AWS: a subscriber that checks the chain rejects any
 * self-signed certificate whatever it claims, one that does not check never reads the subject,
 * and a certificate claiming sns.amazonaws.com would only mislead a person reading it.
 */
export const CERTIFICATE_SUBJECT = { commonName: "Sluice SNS message signing", organization: "Sluice" } as const;
/** Valid from a day back (a subscriber's clock may run behind) for twenty years: the key is never rotated. */
const VALID_BEFORE_MS = 24 * 60 * 60 * 1000;
const VALID_YEARS = 20;

const RSA_KEY = {
  name: "RSASSA-PKCS1-v1_5",
  modulusLength: 2048,
  publicExponent: Uint8Array.of(1, 0, 1),
  hash: "SHA-256",
} as const;

export async function createSigningKey(now: Date): Promise<StoredSigningKey> {
  const pair = (await crypto.subtle.generateKey(RSA_KEY, true, ["sign", "verify"])) as CryptoKeyPair;
  const spki = new Uint8Array((await crypto.subtle.exportKey("spki", pair.publicKey)) as ArrayBuffer);
  const privateKey = new Uint8Array((await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer);
  const serialNumber = crypto.getRandomValues(new Uint8Array(16));
  serialNumber[0] = (serialNumber[0]! & 0x7f) | 0x01; // positive and of full length
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + VALID_YEARS);
  const certificate = await selfSignedCertificate(
    {
      ...CERTIFICATE_SUBJECT,
      serialNumber,
      notBefore: new Date(now.getTime() - VALID_BEFORE_MS),
      notAfter,
      subjectPublicKeyInfo: spki,
    },
    pair.privateKey,
  );
  return { privateKey, certificate };
}
