/**
 * MD5 of message bodies and attributes exactly as SQS computes them.
 * Pure TypeScript and synchronous: WebCrypto has no MD5 in browsers, and the SDK runs there.
 */
import type { MessageAttributeMap } from "./actions.js";

const S = Int32Array.of(7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21);
const K = new Int32Array(64).map((_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0);
/** The message word each round reads. */
const G = new Int32Array(64).map((_, i) => (i < 16 ? i : i < 32 ? (5 * i + 1) % 16 : i < 48 ? (3 * i + 5) % 16 : (7 * i) % 16));
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));
/** Scratch for one block's words: MD5 is synchronous, so one array serves every digest. */
const WORDS = new Int32Array(16);
const encoder = new TextEncoder();

/** Incremental MD5 over bytes. */
export class Md5 {
  private state = new Int32Array([0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476]);
  private buffer = new Uint8Array(64);
  private buffered = 0;
  private length = 0;

  update(data: Uint8Array): this {
    this.length += data.length;
    let offset = 0;
    if (this.buffered > 0) {
      const take = Math.min(64 - this.buffered, data.length);
      this.buffer.set(data.subarray(0, take), this.buffered);
      this.buffered += take;
      offset = take;
      if (this.buffered < 64) return this;
      this.block(this.buffer, 0);
      this.buffered = 0;
    }
    for (; offset + 64 <= data.length; offset += 64) this.block(data, offset);
    this.buffer.set(data.subarray(offset), 0);
    this.buffered = data.length - offset;
    return this;
  }

  hex(): string {
    const bits = this.length * 8;
    const pad = new Uint8Array((this.buffered < 56 ? 56 : 120) - this.buffered + 8);
    pad[0] = 0x80;
    const view = new DataView(pad.buffer);
    view.setUint32(pad.length - 8, bits >>> 0, true);
    view.setUint32(pad.length - 4, Math.floor(bits / 2 ** 32), true);
    this.update(pad);
    let out = "";
    for (const word of this.state) {
      for (let i = 0; i < 4; i++) out += HEX[(word >>> (8 * i)) & 0xff];
    }
    return out;
  }

  /**
   * One 64-byte block. Written as four plain loops over precomputed tables, with no arrays
   * made per round: this runs for every kilobyte of every message body the Worker accepts.
   */
  private block(data: Uint8Array, offset: number): void {
    const m = WORDS;
    for (let i = 0; i < 16; i++) {
      const j = offset + i * 4;
      m[i] = data[j]! | (data[j + 1]! << 8) | (data[j + 2]! << 16) | (data[j + 3]! << 24);
    }
    const state = this.state;
    let a = state[0]!;
    let b = state[1]!;
    let c = state[2]!;
    let d = state[3]!;
    for (let i = 0; i < 64; i++) {
      let f: number;
      if (i < 16) f = (b & c) | (~b & d);
      else if (i < 32) f = (d & b) | (~d & c);
      else if (i < 48) f = b ^ c ^ d;
      else f = c ^ (b | ~d);
      const sum = (a + f + K[i]! + m[G[i]!]!) | 0;
      const shift = S[i]!;
      a = d;
      d = c;
      c = b;
      b = (b + ((sum << shift) | (sum >>> (32 - shift)))) | 0;
    }
    state[0] = (state[0]! + a) | 0;
    state[1] = (state[1]! + b) | 0;
    state[2] = (state[2]! + c) | 0;
    state[3] = (state[3]! + d) | 0;
  }
}

export function md5Hex(data: string | Uint8Array): string {
  return new Md5().update(typeof data === "string" ? encoder.encode(data) : data).hex();
}

function lengthPrefixed(md5: Md5, bytes: Uint8Array): void {
  const len = new Uint8Array(4);
  new DataView(len.buffer).setUint32(0, bytes.length, false);
  md5.update(len).update(bytes);
}

/**
 * MD5OfMessageAttributes (and MD5OfMessageSystemAttributes): names sorted, each name, data type and
 * value length-prefixed, with transport byte 1 for string values and 2 for binary.
 * Returns undefined for an empty map, since SQS omits the field then.
 */
export function md5OfMessageAttributes(attributes: MessageAttributeMap | undefined): string | undefined {
  if (!attributes) return undefined;
  const names = Object.keys(attributes).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (names.length === 0) return undefined;
  const md5 = new Md5();
  for (const name of names) {
    const value = attributes[name]!;
    lengthPrefixed(md5, encoder.encode(name));
    lengthPrefixed(md5, encoder.encode(value.DataType));
    if (value.StringValue !== undefined) {
      md5.update(Uint8Array.of(1));
      lengthPrefixed(md5, encoder.encode(value.StringValue));
    } else {
      md5.update(Uint8Array.of(2));
      lengthPrefixed(md5, value.BinaryValue ?? new Uint8Array());
    }
  }
  return md5.hex();
}
