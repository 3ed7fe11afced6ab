/**
 * The `cidr` operator: IPv4 and IPv6 address literals, CIDR blocks, and whether an address falls in
 * one. As AWS's matcher does, a block covers its written address up to the last address of its
 * mask (so "10.0.0.5/24" covers 10.0.0.5 to 10.0.0.255), a mask must be below 32 (IPv4) or 128
 * (IPv6), an IPv4-mapped IPv6 address is its IPv4 address, and only text shaped like an address
 * (four dotted numbers, or hex digits and colons) is read as one: "::ffff:10.0.0.1" is not.
 */
import type { IpRange } from "./types.js";

/** A CIDR the policy cannot use; the message is AWS's. */
export class CidrError extends Error {}

/** The range a CIDR block covers; throws CidrError with AWS's message when it is malformed. */
export function parseCidr(cidr: string): IpRange {
  // Java's String.split drops trailing empty parts: "10.0.0.0/" has one part, "/8" has two.
  const parts = cidr.split("/");
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  if (parts.length !== 2) throw new CidrError("Malformed CIDR, one '/' required");
  const [address, maskText] = parts as [string, string];
  if (!/^[+-]?\d+$/.test(maskText) || !Number.isSafeInteger(Number(maskText)) || Math.abs(Number(maskText)) > 2 ** 31 - 1) {
    throw new CidrError("Malformed CIDR, mask bits must be an integer");
  }
  const maskBits = Number(maskText);
  if (maskBits < 0) throw new CidrError("Malformed CIDR, mask bits must not be negative");
  if (!looksLikeIp(address)) throw new CidrError(`Nonstandard IP address: ${address}`);
  const bottom = parseIp(address);
  if (!bottom) throw new CidrError(`Invalid IP address: ${address}`);
  if (bottom.length === 4 && maskBits > 31) throw new CidrError("IPv4 mask bits must be < 32");
  if (bottom.length === 16 && maskBits > 127) throw new CidrError("IPv6 mask bits must be < 128");
  let hostBits = bottom.length * 8 - maskBits;
  const top = [...bottom];
  for (let i = top.length - 1; i >= 0 && hostBits > 0; i--, hostBits -= 8) {
    top[i] = (top[i] as number) | (hostBits >= 8 ? 0xff : (1 << hostBits) - 1);
  }
  return { bottom, top };
}

/** Whether the text is an IP address literal inside the range. */
export function inCidr(text: string, range: IpRange): boolean {
  const address = parseIp(text);
  if (!address || address.length !== range.bottom.length) return false;
  return compareBytes(address, range.bottom) >= 0 && compareBytes(address, range.top) <= 0;
}

const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

function looksLikeIp(text: string): boolean {
  return IPV4_SHAPE.test(text) || IPV6_SHAPE.test(text);
}

/** The bytes of an IPv4 or IPv6 address literal (4 or 16), or undefined when the text is not one. */
export function parseIp(text: string): number[] | undefined {
  if (IPV6_SHAPE.test(text)) return parseIpv6(text);
  if (IPV4_SHAPE.test(text)) return parseIpv4(text);
  return undefined;
}

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    bytes.push(Number(part));
  }
  return bytes;
}

function parseIpv6(text: string): number[] | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === "") return [];
    const result: number[] = [];
    for (const group of half.split(":")) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
      result.push(parseInt(group, 16));
    }
    return result;
  };
  const head = groups(halves[0] as string);
  const tail = halves.length === 2 ? groups(halves[1] as string) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const bytes = all.flatMap((group) => [group >> 8, group & 0xff]);
  // IPv4-mapped (::ffff:a00:1) is the IPv4 address itself.
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12);
  return bytes;
}

function compareBytes(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const diff = (a[i] as number) - (b[i] as number);
    if (diff !== 0) return diff;
  }
  return 0;
}
