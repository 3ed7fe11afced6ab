/**
 * Checks a SigV4 claim against the request it came with. The canonical request and string to
 * sign are built from the parsed claim alone (canonical-request.ts), with a cached signing key.
 * This file holds AWS's acceptance rules: service `sqs`, a scope date matching the signing time,
 * the 15-minute clock skew, the presigned URL's X-Amz-Expires, the payload hash, and a
 * constant-time comparison.
 */
import { SqsError } from "../../sdk/protocol/index.js";
import type { AccessKey } from "./credentials.js";
import { canonicalRequest, stringToSign } from "./canonical-request.js";
import type { SignatureClaim } from "./signed-request.js";

/** AWS accepts a request signed up to 15 minutes before or after its own clock. */
export const MAX_SKEW_MS = 15 * 60 * 1000;
const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

/**
 * Signing keys as WebCrypto keys, per secret, date, region and service: derived and imported once
 * per isolate and day rather than on every request. Bounded, because the scope (region, date) is
 * the caller's to choose before its signature is known to be good.
 */
const signingKeys = new Map<string, Promise<CryptoKey>>();
const MAX_SIGNING_KEYS = 256;
const encoder = new TextEncoder();

export interface SignedRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: Uint8Array;
}

export async function verifySignature(
  claim: SignatureClaim,
  key: AccessKey,
  request: SignedRequest,
  now: number,
  /** The AWS test-suite vectors are signed for a service named `service`. */
  service = "sqs",
): Promise<void> {
  if (claim.service !== service) {
    throw mismatch(`Credential should be scoped to correct service: '${service}'. Got '${claim.service}'.`);
  }
  if (claim.scopeDate !== claim.datetime.slice(0, 8)) {
    throw mismatch(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${claim.scopeDate}' != '${claim.datetime.slice(0, 8)}', from '${claim.datetime}'.`,
    );
  }
  checkClock(claim, now);

  const bodyHash = await sha256Hex(request.body);
  const sentHash = request.headers.get("x-amz-content-sha256");
  if (!claim.presigned && sentHash !== null && sentHash !== bodyHash) {
    throw mismatch("The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  // A presigned URL may leave its (empty) payload out of the signature, as S3-style signers do.
  const candidates = claim.presigned ? [bodyHash, UNSIGNED_PAYLOAD] : [bodyHash];
  for (const payloadHash of candidates) {
    if (sameText(await expectedSignature(claim, key, request, payloadHash), claim.signature)) return;
  }
  throw mismatch(
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
  );
}

function checkClock(claim: SignatureClaim, now: number): void {
  const signedAt = parseDatetime(claim.datetime);
  if (signedAt === undefined) throw new SqsError("IncompleteSignature", `Invalid X-Amz-Date: '${claim.datetime}'.`);
  // A presigned URL lives for its X-Amz-Expires, but never longer than the skew AWS allows.
  const lifetime = claim.expires === undefined ? MAX_SKEW_MS : Math.min(claim.expires * 1000, MAX_SKEW_MS);
  if (signedAt < now - lifetime) {
    const window = claim.expires !== undefined && lifetime < MAX_SKEW_MS ? `${claim.expires} s` : "15 min.";
    throw mismatch(
      `Signature expired: ${claim.datetime} is now earlier than ${basicFormat(now - lifetime)} (${basicFormat(now)} - ${window})`,
    );
  }
  if (signedAt > now + MAX_SKEW_MS) {
    throw mismatch(
      `Signature not yet current: ${claim.datetime} is still later than ${basicFormat(now + MAX_SKEW_MS)} (${basicFormat(now)} + 15 min.)`,
    );
  }
}

function signingKey(secret: string, date: string, region: string, service: string): Promise<CryptoKey> {
  const id = [secret, date, region, service].join("\n");
  let key = signingKeys.get(id);
  if (!key) {
    if (signingKeys.size >= MAX_SIGNING_KEYS) signingKeys.clear();
    key = deriveSigningKey(secret, date, region, service);
    signingKeys.set(id, key);
    key.catch(() => signingKeys.delete(id));
  }
  return key;
}

/** SigV4's kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
async function deriveSigningKey(secret: string, date: string, region: string, service: string): Promise<CryptoKey> {
  let raw: ArrayBuffer = encoder.encode(`AWS4${secret}`).buffer as ArrayBuffer;
  for (const part of [date, region, service, "aws4_request"]) raw = await hmac(raw, part);
  return importHmacKey(raw);
}

const importHmacKey = (raw: ArrayBuffer) =>
  crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);

async function hmac(raw: ArrayBuffer, text: string): Promise<ArrayBuffer> {
  return crypto.subtle.sign("HMAC", await importHmacKey(raw), encoder.encode(text));
}

async function expectedSignature(
  claim: SignatureClaim,
  key: AccessKey,
  request: SignedRequest,
  payloadHash: string,
): Promise<string> {
  const canonical = canonicalRequest(request.method, request.url, claim, payloadHash);
  const toSign = stringToSign(claim, hex(await crypto.subtle.digest("SHA-256", encoder.encode(canonical))));
  const signing = await signingKey(key.secretAccessKey, claim.datetime.slice(0, 8), claim.region, claim.service);
  return hex(await crypto.subtle.sign("HMAC", signing, encoder.encode(toSign)));
}

/** Compares in time that depends only on the lengths, not on where the texts first differ. */
export function sameText(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  return diff === 0;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", bytes));
}

function hex(buffer: ArrayBuffer): string {
  let text = "";
  for (const byte of new Uint8Array(buffer)) text += byte.toString(16).padStart(2, "0");
  return text;
}

function parseDatetime(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const time = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return Number.isNaN(time) ? undefined : time;
}

const basicFormat = (time: number) => new Date(time).toISOString().replace(/[:-]|\.\d{3}/g, "");

const mismatch = (message: string) => new SqsError("SignatureDoesNotMatch", message);
