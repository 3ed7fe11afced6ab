/**
 * The MD5 digests SQS returns, computed on the test side with node:crypto straight from the
 * algorithm AWS documents (its "Calculating the MD5 message digest for message
 * attributes"), so the suites never check Sluice against its own code.
 */
import { createHash } from "node:crypto";

export interface AttributeValue {
  DataType?: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

/** Transport type bytes that precede each value. */
const STRING_VALUE = 1;
const BINARY_VALUE = 2;

/** Lower-case hex MD5 of the UTF-8 bytes of a body (MD5OfMessageBody / MD5OfBody). */
export function md5OfBody(body: string): string {
  return createHash("md5").update(body, "utf8").digest("hex");
}

/**
 * MD5OfMessageAttributes (and MD5OfMessageSystemAttributes): for each name in sorted order,
 * the name, the full DataType and the value, each as a 4-byte big-endian length followed by
 * the bytes, with a transport byte (1 string, 2 binary) before the value.
 */
export function md5OfAttributes(attributes: Record<string, AttributeValue>): string {
  const hash = createHash("md5");
  const lengthPrefixed = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length, 0);
    hash.update(length);
    hash.update(bytes);
  };
  // Code-unit order equals code-point order for the ASCII names SQS allows.
  for (const name of Object.keys(attributes).sort()) {
    const value = attributes[name]!;
    lengthPrefixed(Buffer.from(name, "utf8"));
    lengthPrefixed(Buffer.from(value.DataType ?? "", "utf8"));
    if (value.StringValue !== undefined) {
      hash.update(Buffer.of(STRING_VALUE));
      lengthPrefixed(Buffer.from(value.StringValue, "utf8"));
    } else {
      hash.update(Buffer.of(BINARY_VALUE));
      lengthPrefixed(Buffer.from(value.BinaryValue ?? new Uint8Array()));
    }
  }
  return hash.digest("hex");
}
