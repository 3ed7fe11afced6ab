/**
 * The `cidr` operator's address reading (durable-objects/topic/filter-policy/cidr.ts): IPv4 and
 * IPv6 literals in their usual forms, blocks covering their written address to the end of the
 * mask, and text that is not an address matching nothing.
 */
import { describe, expect, it } from "vitest";
import { inCidr, parseCidr, parseIp } from "../../durable-objects/topic/filter-policy/cidr.js";

describe("IP address literals", () => {
  it("reads IPv4 and IPv6 forms", () => {
    expect(parseIp("10.0.0.255")).toEqual([10, 0, 0, 255]);
    expect(parseIp("::1")).toEqual([...new Array(15).fill(0), 1]);
    expect(parseIp("2001:DB8::8:800:200C:417A")).toEqual([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 8, 8, 0, 0x20, 0x0c, 0x41, 0x7a]);
    expect(parseIp("1:2:3:4:5:6:7:8")).toHaveLength(16);
    expect(parseIp("::ffff:c000:221")).toEqual([192, 0, 2, 33]);
  });

  it("refuses what is not an address", () => {
    for (const text of ["", "10.0.0", "10.0.0.256", "10.0.0.0.1", "a.b.c.d", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "host", "1.2.3.4/8", "::ffff:192.0.2.33", " 10.0.0.1"]) {
      expect(parseIp(text), text).toBeUndefined();
    }
  });
});

describe("CIDR blocks", () => {
  it("covers the written address through the end of the mask", () => {
    const block = parseCidr("10.0.0.0/24");
    expect(inCidr("10.0.0.0", block)).toBe(true);
    expect(inCidr("10.0.0.255", block)).toBe(true);
    expect(inCidr("10.0.1.0", block)).toBe(false);
    expect(inCidr("9.255.255.255", block)).toBe(false);
    const fromFive = parseCidr("10.0.0.5/24");
    expect(inCidr("10.0.0.4", fromFive)).toBe(false);
    expect(inCidr("10.0.0.5", fromFive)).toBe(true);
  });

  it("handles masks that end inside a byte, and /0", () => {
    const block = parseCidr("192.168.0.0/13");
    expect(inCidr("192.175.255.255", block)).toBe(true);
    expect(inCidr("192.176.0.0", block)).toBe(false);
    expect(inCidr("255.255.255.255", parseCidr("0.0.0.0/0"))).toBe(true);
  });

  it("keeps IPv4 and IPv6 apart", () => {
    const v6 = parseCidr("2001:db8::/32");
    expect(inCidr("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", v6)).toBe(true);
    expect(inCidr("2001:db9::", v6)).toBe(false);
    expect(inCidr("32.1.13.184", v6)).toBe(false);
    expect(inCidr("2001:db8::1", parseCidr("32.0.0.0/8"))).toBe(false);
  });
});
