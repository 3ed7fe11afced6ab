/**
 * A small DER writer: just the ASN.1 types an X.509 certificate needs (certificate.ts), each a
 * function returning its complete encoding (tag, length, content), so a structure is written as
 * nested calls in the order the ASN.1 module lists its fields.
 */

/** Tag numbers of the universal types used here, and the context-specific constructed class. */
const TAG = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  objectIdentifier: 0x06,
  utf8String: 0x0c,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
  contextConstructed: 0xa0,
} as const;

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Definite length: one byte below 128, else 0x80 + the count of the big-endian bytes that follow. */
export function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

export function tlv(tag: number, content: Uint8Array): Uint8Array {
  return concat([Uint8Array.of(tag), encodeLength(content.length), content]);
}

export const sequence = (...items: Uint8Array[]): Uint8Array => tlv(TAG.sequence, concat(items));
export const set = (...items: Uint8Array[]): Uint8Array => tlv(TAG.set, concat(items));
export const nullValue = (): Uint8Array => tlv(TAG.null, new Uint8Array(0));
export const octetString = (bytes: Uint8Array): Uint8Array => tlv(TAG.octetString, bytes);
export const utf8String = (text: string): Uint8Array => tlv(TAG.utf8String, new TextEncoder().encode(text));

/** `[n] EXPLICIT`: the inner encoding wrapped whole in a context-specific constructed tag. */
export const explicit = (tagNumber: number, inner: Uint8Array): Uint8Array => tlv(TAG.contextConstructed | tagNumber, inner);

/** A BIT STRING of whole bytes, or of `unusedBits` fewer bits (a KeyUsage's named bits). */
export const bitString = (bytes: Uint8Array, unusedBits = 0): Uint8Array =>
  tlv(TAG.bitString, concat([Uint8Array.of(unusedBits), bytes]));

/**
 * A non-negative INTEGER from a small number or from big-endian magnitude bytes (a serial
 * number): minimal (leading zero bytes dropped) and with a 0x00 in front when the top bit is
 * set, since DER integers are two's complement.
 */
export function integer(value: number | Uint8Array): Uint8Array {
  let bytes: number[];
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a non-negative integer: ${value}`);
    bytes = [];
    for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  } else {
    bytes = [...value];
  }
  while (bytes.length > 0 && bytes[0] === 0) bytes.shift();
  if (bytes.length === 0 || bytes[0]! >= 0x80) bytes.unshift(0);
  return tlv(TAG.integer, Uint8Array.from(bytes));
}

/** Dotted OID text to its encoding: the first two arcs as 40·a + b, then each arc in base 128. */
export function objectIdentifier(oid: string): Uint8Array {
  const arcs = oid.split(".").map(Number);
  if (arcs.length < 2 || arcs.some((arc) => !Number.isSafeInteger(arc) || arc < 0)) throw new RangeError(`not an OID: ${oid}`);
  const [first, second, ...rest] = arcs as [number, number, ...number[]];
  const out: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const digits = [arc % 128];
    for (let high = Math.floor(arc / 128); high > 0; high = Math.floor(high / 128)) digits.unshift(0x80 | high % 128);
    out.push(...digits);
  }
  return tlv(TAG.objectIdentifier, Uint8Array.from(out));
}

const two = (n: number) => String(n).padStart(2, "0");

/**
 * A certificate time: UTCTime (YYMMDDHHMMSSZ) for the years 1950 to 2049 and GeneralizedTime
 * (YYYYMMDDHHMMSSZ) from 2050, as X.509 requires. Whole seconds, always UTC.
 */
export function time(date: Date): Uint8Array {
  const year = date.getUTCFullYear();
  const rest = `${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}Z`;
  if (year >= 1950 && year < 2050) return tlv(TAG.utcTime, new TextEncoder().encode(`${two(year % 100)}${rest}`));
  return tlv(TAG.generalizedTime, new TextEncoder().encode(`${String(year).padStart(4, "0")}${rest}`));
}

/** PEM armour: base64 of the DER in 64-character lines between BEGIN and END lines. */
export function pem(label: string, der: Uint8Array): string {
  let binary = "";
  for (const byte of der) binary += String.fromCharCode(byte);
  const lines = btoa(binary).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}
