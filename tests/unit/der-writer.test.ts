/**
 * The DER writer the signing certificate is built with (durable-objects/signing/der.ts), against
 * encodings worked out by hand from X.690 and well-known ones (the sha256WithRSAEncryption OID).
 */
import { describe, expect, it } from "vitest";
import {
  bitString,
  encodeLength,
  explicit,
  integer,
  nullValue,
  objectIdentifier,
  octetString,
  pem,
  sequence,
  set,
  time,
  utf8String,
} from "../../durable-objects/signing/der.js";

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join(" ");

describe("DER lengths", () => {
  it("use one byte below 128 and the long form from 128 on", () => {
    expect(hex(encodeLength(0))).toBe("00");
    expect(hex(encodeLength(127))).toBe("7f");
    expect(hex(encodeLength(128))).toBe("81 80");
    expect(hex(encodeLength(255))).toBe("81 ff");
    expect(hex(encodeLength(256))).toBe("82 01 00");
    expect(hex(encodeLength(65_536))).toBe("83 01 00 00");
  });

  it("frame long content with its long-form length", () => {
    const encoded = octetString(new Uint8Array(200).fill(7));
    expect(hex(encoded.subarray(0, 3))).toBe("04 81 c8");
    expect(encoded.length).toBe(203);
  });
});

describe("DER integers", () => {
  it("are minimal and get a leading zero when the top bit is set", () => {
    expect(hex(integer(0))).toBe("02 01 00");
    expect(hex(integer(2))).toBe("02 01 02");
    expect(hex(integer(127))).toBe("02 01 7f");
    expect(hex(integer(128))).toBe("02 02 00 80");
    expect(hex(integer(256))).toBe("02 02 01 00");
    expect(hex(integer(Uint8Array.of(0, 0, 0x80, 1)))).toBe("02 03 00 80 01");
    expect(hex(integer(Uint8Array.of(0x12, 0x34)))).toBe("02 02 12 34");
  });

  it("refuse a negative or fractional number", () => {
    expect(() => integer(-1)).toThrow(RangeError);
    expect(() => integer(1.5)).toThrow(RangeError);
  });
});

describe("DER object identifiers", () => {
  it("encode the first two arcs together and the rest in base 128", () => {
    expect(hex(objectIdentifier("1.2.840.113549.1.1.11"))).toBe("06 09 2a 86 48 86 f7 0d 01 01 0b");
    expect(hex(objectIdentifier("2.5.4.3"))).toBe("06 03 55 04 03");
    expect(hex(objectIdentifier("2.5.29.15"))).toBe("06 03 55 1d 0f");
    expect(hex(objectIdentifier("1.2.128"))).toBe("06 03 2a 81 00");
  });

  it("refuse text that is not an OID", () => {
    expect(() => objectIdentifier("1")).toThrow(RangeError);
    expect(() => objectIdentifier("1.x.3")).toThrow(RangeError);
  });
});

describe("DER times", () => {
  it("are UTCTime through 2049 and GeneralizedTime from 2050", () => {
    const utc = time(new Date("2026-12-06T18:30:05.999Z"));
    expect(utc[0]).toBe(0x17);
    expect(new TextDecoder().decode(utc.subarray(2))).toBe("261206183005Z");
    expect(new TextDecoder().decode(time(new Date("2049-12-31T23:59:59Z")).subarray(2))).toBe("491231235959Z");
    const generalized = time(new Date("2050-01-01T00:00:00Z"));
    expect(generalized[0]).toBe(0x18);
    expect(new TextDecoder().decode(generalized.subarray(2))).toBe("20500101000000Z");
    expect(time(new Date("1949-06-01T00:00:00Z"))[0]).toBe(0x18);
  });
});

describe("DER constructed and simple values", () => {
  it("nest sequences, sets and explicit tags around their contents", () => {
    expect(hex(sequence())).toBe("30 00");
    expect(hex(sequence(nullValue(), integer(1)))).toBe("30 05 05 00 02 01 01");
    expect(hex(set(utf8String("é")))).toBe("31 04 0c 02 c3 a9");
    expect(hex(explicit(0, integer(2)))).toBe("a0 03 02 01 02");
    expect(hex(explicit(3, sequence()))).toBe("a3 02 30 00");
  });

  it("write a bit string's unused-bit count before its bytes", () => {
    expect(hex(bitString(Uint8Array.of(0x80), 7))).toBe("03 02 07 80");
    expect(hex(bitString(Uint8Array.of(1, 2)))).toBe("03 03 00 01 02");
  });
});

describe("PEM armour", () => {
  it("wraps base64 at 64 characters between BEGIN and END lines", () => {
    const der = Uint8Array.from({ length: 100 }, (_, i) => i);
    const text = pem("CERTIFICATE", der);
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe("-----BEGIN CERTIFICATE-----");
    expect(lines.at(-1)).toBe("-----END CERTIFICATE-----");
    const body = lines.slice(1, -1);
    expect(body.slice(0, -1).every((line) => line.length === 64)).toBe(true);
    const decoded = Uint8Array.from(atob(body.join("")), (c) => c.charCodeAt(0));
    expect([...decoded]).toEqual([...der]);
  });
});
