/**
 * The signing key as the code that signs uses it: imported once per isolate from the
 * SigningKeyObject, for both signature versions, with the certificate's PEM and its id (the name
 * of the file `SigningCertURL` points at).
 */
import { pem } from "./der.js";
import { SIGNING_KEY_OBJECT_NAME, type SigningKeyObject } from "./signing-key-object.js";
import type { StoredSigningKey } from "./signing-key.js";

/** The binding the signing code needs; the Worker's Env extends it. */
export interface SigningEnv {
  SIGNING: DurableObjectNamespace<SigningKeyObject>;
}

export interface SigningMaterial {
  /** Hex id of the certificate, as in `/SimpleNotificationService-<id>.pem`. */
  certificateId: string;
  certificatePem: string;
  /** The private key for SignatureVersion 1 (SHA1withRSA). */
  sha1Key: CryptoKey;
  /** The private key for SignatureVersion 2 (SHA256withRSA). */
  sha256Key: CryptoKey;
}

/** AWS's certificate names carry 32 hex digits; the first 128 bits of the certificate's SHA-256 give as many. */
const CERTIFICATE_ID_BYTES = 16;
const CERTIFICATE_PATH = /^\/SimpleNotificationService-([0-9a-f]{32})\.pem$/;

const cache = new WeakMap<object, Promise<SigningMaterial>>();

/** The deployment's signing material, fetched and imported once per isolate (a failure is not kept). */
export function signingMaterial(env: SigningEnv): Promise<SigningMaterial> {
  let material = cache.get(env.SIGNING);
  if (!material) {
    const stub = env.SIGNING.get(env.SIGNING.idFromName(SIGNING_KEY_OBJECT_NAME));
    material = stub.signingKey().then((stored) => importSigningMaterial(stored as StoredSigningKey));
    material.catch(() => cache.delete(env.SIGNING));
    cache.set(env.SIGNING, material);
  }
  return material;
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

export async function certificateId(certificate: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", certificate));
  return hex(digest.subarray(0, CERTIFICATE_ID_BYTES));
}

export async function importSigningMaterial(stored: StoredSigningKey): Promise<SigningMaterial> {
  // WebCrypto binds the hash to an RSA key when it is imported: one import per signature version.
  const importFor = (hash: "SHA-1" | "SHA-256") =>
    crypto.subtle.importKey("pkcs8", stored.privateKey, { name: "RSASSA-PKCS1-v1_5", hash }, false, ["sign"]);
  const [sha1Key, sha256Key, id] = await Promise.all([importFor("SHA-1"), importFor("SHA-256"), certificateId(stored.certificate)]);
  return { certificateId: id, certificatePem: pem("CERTIFICATE", stored.certificate), sha1Key, sha256Key };
}

/** The path the certificate is served at, on the Worker's own host. */
export const certificatePath = (material: SigningMaterial): string => `/SimpleNotificationService-${material.certificateId}.pem`;

/** `SigningCertURL` for a request that called `origin` (as queue URLs are built from it). */
export const signingCertUrl = (origin: string, material: SigningMaterial): string => `${origin}${certificatePath(material)}`;

/** The certificate id a path asks for, or undefined for any other path. */
export function requestedCertificateId(path: string): string | undefined {
  return CERTIFICATE_PATH.exec(path)?.[1];
}
