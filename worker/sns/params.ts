/**
 * An SNS request's parameters as SNS's Query encoding spells them: scalars by name, lists as
 * `Name.member.N`, attribute maps as `Name.entry.N.key/value`, tags as `Tags.member.N.Key/Value`,
 * message attributes as `MessageAttributes.entry.N.Name` + `.Value.DataType/StringValue/BinaryValue`.
 * N counts from 1; an empty list may be sent as `Name=` alone.
 */
import type { FormParams } from "../protocol/form.js";
import { SnsErrors } from "./errors.js";

export interface SnsAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

export type SnsMessageAttributes = Record<string, SnsAttributeValue>;

export class SnsParams {
  constructor(
    readonly params: FormParams,
    /** Prefix of every name read, for a batch entry's own parameters. */
    private readonly prefix = "",
  ) {}

  /** A batch entry's parameters, read as a request of their own. */
  nested(prefix: string): SnsParams {
    return new SnsParams(this.params, `${this.prefix}${prefix}.`);
  }

  has(name: string): boolean {
    return this.params.has(this.prefix + name);
  }

  string(name: string): string | undefined {
    return this.params.get(this.prefix + name);
  }

  /** A parameter SNS requires: absent is `Invalid parameter: <Name>`, as AWS words it. */
  required(name: string): string {
    const value = this.string(name);
    if (value === undefined) throw SnsErrors.invalidParameter(name);
    return value;
  }

  boolean(name: string): boolean | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (value === "true") return true;
    if (value === "false") return false;
    throw SnsErrors.invalidParameter(name);
  }

  /** `Name.member.N` (or `Name.member.N.<field>` read through `read`), in N order. */
  members<T>(name: string, read: (item: SnsParams) => T | undefined): T[] {
    const out: T[] = [];
    for (const n of this.indexes(`${name}.member.`)) {
      const value = read(this.nested(`${name}.member.${n}`));
      if (value !== undefined) out.push(value);
    }
    return out;
  }

  /** `Name.member.N` as strings. */
  list(name: string): string[] {
    return this.indexes(`${name}.member.`).map((n) => this.string(`${name}.member.${n}`) ?? "");
  }

  /** `Name.entry.N.key/value`: SNS's attribute maps. */
  entryMap(name: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const n of this.indexes(`${name}.entry.`)) {
      const key = this.string(`${name}.entry.${n}.key`);
      if (key !== undefined) out[key] = this.string(`${name}.entry.${n}.value`) ?? "";
    }
    return out;
  }

  /** `Tags.member.N.Key/Value`, in the order sent (a key given twice counts twice). */
  tags(name = "Tags"): { Key: string; Value: string }[] {
    return this.members(name, (item) => {
      const key = item.string("Key");
      return key === undefined ? undefined : { Key: key, Value: item.string("Value") ?? "" };
    });
  }

  messageAttributes(name = "MessageAttributes"): SnsMessageAttributes {
    const out: SnsMessageAttributes = {};
    for (const n of this.indexes(`${name}.entry.`)) {
      const entry = this.nested(`${name}.entry.${n}`);
      const attributeName = entry.string("Name");
      if (attributeName === undefined) throw SnsErrors.invalidParameter(`${this.prefix}${name}.entry.${n}.Name`);
      const value: SnsAttributeValue = { DataType: entry.string("Value.DataType") ?? "" };
      const text = entry.string("Value.StringValue");
      const binary = entry.string("Value.BinaryValue");
      if (text !== undefined) value.StringValue = text;
      if (binary !== undefined) value.BinaryValue = fromBase64(binary, attributeName);
      out[attributeName] = value;
    }
    return out;
  }

  /**
   * The distinct N of `<prefix>N…` parameters, ascending. As the SQS wire reads its lists
   * (protocol/unflatten.ts), N counts from 1 without gaps: an index that is not a whole number
   * from 1 (0, -1, x, 1e3) or a gap is refused rather than the entry silently dropped.
   */
  private indexes(prefix: string): number[] {
    const full = this.prefix + prefix;
    const found = new Set<number>();
    for (const key of this.params.keys()) {
      if (!key.startsWith(full)) continue;
      const segment = key.slice(full.length).split(".")[0]!;
      if (!/^[1-9]\d{0,5}$/.test(segment)) {
        throw SnsErrors.invalidParameter(`${full}${segment.slice(0, 40)} is not a valid index; entries are numbered ${full}1, ${full}2, …`);
      }
      found.add(Number(segment));
    }
    const sorted = [...found].sort((a, b) => a - b);
    sorted.forEach((n, i) => {
      if (n !== i + 1) throw SnsErrors.invalidParameter(`${full}${i + 1} is missing; entries are numbered from 1 without gaps`);
    });
    return sorted;
  }
}

function fromBase64(text: string, name: string): Uint8Array {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    throw SnsErrors.parameterValueInvalid(`The message attribute '${name}' with type 'Binary' must use field 'Binary'.`);
  }
}
