/**
 * MD5OfMessageAttributes computed independently of Sluice's code, with node:crypto, from the
 * algorithm AWS documents: names sorted, length-prefixed name, data type and
 * value, transport byte 1 for strings and 2 for binary.
 */
import { createHash } from "node:crypto";

interface AttributeValue {
  DataType?: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

export function md5OfAttributes(attributes: Record<string, AttributeValue>): string {
  const hash = createHash("md5");
  const put = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length).update(bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    const value = attributes[name]!;
    put(Buffer.from(name, "utf8"));
    put(Buffer.from(value.DataType ?? "", "utf8"));
    if (value.StringValue !== undefined) {
      hash.update(Buffer.from([1]));
      put(Buffer.from(value.StringValue, "utf8"));
    } else {
      hash.update(Buffer.from([2]));
      put(Buffer.from(value.BinaryValue ?? new Uint8Array()));
    }
  }
  return hash.digest("hex");
}
