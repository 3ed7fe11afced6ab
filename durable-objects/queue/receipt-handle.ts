/**
 * Receipt handles: (message seq, receive generation) signed with the queue's own HMAC key.
 * A forged handle or one from another queue fails the signature without a lookup; a genuine
 * but stale one decodes, so the SQS rules for stale handles can be applied.
 */

const SIGNATURE_BYTES = 16;

export interface HandleParts {
  seq: number;
  generation: number;
}

export function newReceiptKey(): string {
  return toBase64(crypto.getRandomValues(new Uint8Array(32)));
}

export function importReceiptKey(base64Key: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", fromBase64(base64Key), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
}

/** The queue's imported key, imported once: a receive or delete that needs it asks here. */
export class ReceiptKeys {
  private key: Promise<CryptoKey> | undefined;

  of(config: { receiptKey: string }): Promise<CryptoKey> {
    return (this.key ??= importReceiptKey(config.receiptKey));
  }

  /** The queue was deleted: a queue created again has a new key. */
  forget(): void {
    this.key = undefined;
  }
}

export async function encodeReceiptHandle(key: CryptoKey, parts: HandleParts): Promise<string> {
  const payload = new Uint8Array(12);
  const view = new DataView(payload.buffer);
  view.setFloat64(0, parts.seq);
  view.setUint32(8, parts.generation);
  const signature = new Uint8Array(await crypto.subtle.sign("HMAC", key, payload)).subarray(0, SIGNATURE_BYTES);
  const bytes = new Uint8Array(payload.length + SIGNATURE_BYTES);
  bytes.set(payload);
  bytes.set(signature, payload.length);
  return toBase64Url(bytes);
}

/** Returns the parts of a genuine handle of this queue, or undefined for anything else. */
export async function decodeReceiptHandle(key: CryptoKey, handle: string): Promise<HandleParts | undefined> {
  if (handle.length !== 38 || !/^[A-Za-z0-9_-]+$/.test(handle)) return undefined;
  const bytes = fromBase64Url(handle);
  const payload = bytes.subarray(0, 12);
  const expected = new Uint8Array(await crypto.subtle.sign("HMAC", key, payload)).subarray(0, SIGNATURE_BYTES);
  let diff = 0;
  for (let i = 0; i < SIGNATURE_BYTES; i++) diff |= expected[i]! ^ bytes[12 + i]!;
  if (diff !== 0) return undefined;
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  return { seq: view.getFloat64(0), generation: view.getUint32(8) };
}

function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

/** A loop rather than Uint8Array.from(string, fn): every receive and delete decodes handles. */
function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array {
  return fromBase64(text.replace(/-/g, "+").replace(/_/g, "/"));
}
