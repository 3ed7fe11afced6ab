/**
 * MD5s computed here, independently of the server's sdk/protocol/md5.ts, with Node's crypto
 * and the algorithm AWS documents (names sorted; each name, data type and value
 * length-prefixed). Most clients do not check MD5OfMessageAttributes (JS v2 and v3 do not), so
 * the suite does.
 */
import { createHash } from "node:crypto";

export interface AttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

export function expectedBodyMd5(body: string): string {
  return createHash("md5").update(Buffer.from(body, "utf8")).digest("hex");
}

export function expectedAttributesMd5(attributes: Record<string, AttributeValue>): string {
  const hash = createHash("md5");
  const put = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length).update(bytes);
  };
  const names = Object.keys(attributes).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  for (const name of names) {
    const value = attributes[name]!;
    put(Buffer.from(name, "utf8"));
    put(Buffer.from(value.DataType, "utf8"));
    if (value.StringValue !== undefined) {
      hash.update(Buffer.of(1));
      put(Buffer.from(value.StringValue, "utf8"));
    } else {
      hash.update(Buffer.of(2));
      put(Buffer.from(value.BinaryValue ?? []));
    }
  }
  return hash.digest("hex");
}
