/** The public half of the deployment's signing key, for a test to verify signatures with. */
import { SIGNING_KEY_OBJECT_NAME } from "../../durable-objects/signing/signing-key-object.js";
import type { SigningEnv } from "../../durable-objects/signing/signing-material.js";

export async function publicKeyOf(env: SigningEnv, hash: "SHA-1" | "SHA-256"): Promise<CryptoKey> {
  const stub = env.SIGNING.get(env.SIGNING.idFromName(SIGNING_KEY_OBJECT_NAME));
  const stored = await stub.signingKey();
  const algorithm = { name: "RSASSA-PKCS1-v1_5", hash };
  const privateKey = await crypto.subtle.importKey("pkcs8", stored.privateKey, algorithm, true, ["sign"]);
  const { n, e } = (await crypto.subtle.exportKey("jwk", privateKey)) as JsonWebKey;
  return crypto.subtle.importKey("jwk", { kty: "RSA", n, e }, algorithm, false, ["verify"]);
}
