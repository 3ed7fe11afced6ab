/**
 * Compiles a filter policy's JSON into branches of fields and patterns, rejecting what AWS rejects
 * with AWS's words and at the place AWS's parser reports. The walk follows the order in which
 * AWS's rule compiler reads the policy, token by token, because that order decides which fault is
 * reported first and where the reader stands when it is.
 */
import { CidrError, parseCidr } from "./cidr.js";
import { JsonReader, type Token } from "./json-reader.js";
import { comparable, outOfRangeMessage } from "./numbers.js";
import { RESERVED_NAMES } from "./or-relationships.js";
import { PolicyProblem } from "./policy-errors.js";
import type { ComparableNumber, IpRange, Pattern } from "./types.js";

/** A field of one branch while it is compiled. */
export interface CompiledField {
  names: string[];
  patterns: Pattern[];
}

/** One branch of the policy: its fields by path ("a.b"); a later field of the same path replaces an earlier one. */
export type Branch = Map<string, CompiledField>;

const ONE_KEY = "Only one key allowed in match expression";
const TOO_MANY_ELEMENTS = "Too many elements in numeric expression";

/** The policy's branches. `orFields` are the offsets of the `"$or"` names that are OR relationships. */
export function compileBranches(source: string, orFields: Set<number>): Branch[] {
  return new Compiler(new JsonReader(source), orFields).compile();
}

class Compiler {
  constructor(
    private readonly reader: JsonReader,
    private readonly orFields: Set<number>,
  ) {}

  compile(): Branch[] {
    if (this.reader.next() !== "{") this.fail("Filter is not an object");
    const branches: Branch[] = [];
    this.readObject(branches, [], false);
    return branches;
  }

  private readObject(branches: Branch[], names: string[], insideOr: boolean): void {
    let fieldsPresent = false;
    while (this.reader.next() !== "}") {
      fieldsPresent = true;
      const name = this.reader.text();
      if (name === "$or" && this.orFields.has(this.reader.fieldOffset())) {
        this.readOr(branches, names);
        continue;
      }
      if (insideOr && RESERVED_NAMES.has(name)) {
        this.fail(`${name} is Ruler reserved fieldName which cannot be used inside $or.`);
      }
      const token = this.reader.next();
      if (token === "{") this.readObject(branches, [...names, name], insideOr);
      else if (token === "[") this.readValues(branches, [...names, name]);
      else this.fail(`"${name}" must be an object or an array`);
    }
    if (!fieldsPresent) this.fail("Empty objects are not allowed");
  }

  /** Each object of the `$or` array continues every branch so far: the branches multiply. */
  private readOr(branches: Branch[], names: string[]): void {
    const before = branches.map((branch) => new Map(branch));
    branches.length = 0;
    this.reader.next(); // "[": findOrRelationships saw an array of objects here
    while (this.reader.next() !== "]") {
      const alternative = before.length > 0 ? before.map((branch) => new Map(branch)) : [new Map()];
      this.readObject(alternative, names, true);
      branches.push(...alternative);
    }
  }

  private readValues(branches: Branch[], names: string[]): void {
    const patterns: Pattern[] = [];
    for (let token = this.reader.next(); token !== "]"; token = this.reader.next()) {
      if (token === "{") patterns.push(this.readMatchExpression());
      else if (token === "string") patterns.push({ kind: "string", value: this.reader.text() });
      else if (token === "number") patterns.push({ kind: "number", value: this.number(this.reader.text()) });
      else if (token === "true" || token === "false") patterns.push({ kind: "literal", value: token === "true" });
      else if (token === "null") patterns.push({ kind: "literal", value: null });
      else this.fail("Match value must be String, number, true, false, or null");
    }
    if (patterns.length === 0) this.fail("Empty arrays are not allowed");
    if (branches.length === 0) branches.push(new Map());
    for (const branch of branches) branch.set(names.join("."), { names, patterns });
  }

  private readMatchExpression(): Pattern {
    if (this.reader.next() !== "field") this.fail("Match expression name not found");
    const operator = this.reader.text();
    switch (operator) {
      case "prefix":
      case "suffix":
      case "equals-ignore-case": {
        if (this.reader.next() !== "string") this.fail(`${operator} match pattern must be a string`);
        const value = this.reader.text();
        this.expectEnd(ONE_KEY);
        return { kind: operator, value };
      }
      case "numeric": {
        if (this.reader.next() !== "[") this.fail("Value of numeric must be an array.");
        const pattern = this.readNumeric();
        this.expectEnd(TOO_MANY_ELEMENTS);
        return pattern;
      }
      case "anything-but":
        return this.readAnythingBut();
      case "exists": {
        const token = this.reader.next();
        if (token !== "true" && token !== "false") this.fail("exists match pattern must be either true or false.");
        this.expectEnd(ONE_KEY);
        return { kind: "exists", value: token === "true" };
      }
      case "cidr": {
        // AWS's compiler shares this message with prefix.
        if (this.reader.next() !== "string") this.fail("prefix match pattern must be a string");
        const range = this.cidr(this.reader.text());
        this.expectEnd(ONE_KEY);
        return { kind: "cidr", range };
      }
      default:
        return this.fail(`Unrecognized match type ${operator}`);
    }
  }

  private readAnythingBut(): Pattern {
    const token = this.reader.next();
    let pattern: Pattern;
    if (token === "{") {
      // SNS's anything-but takes a prefix and nothing else (no suffix, equals-ignore-case or wildcard).
      if (this.reader.next() !== "field") this.fail("Anything-But expression name not found");
      const operator = this.reader.text();
      if (operator !== "prefix") this.fail(`Unsupported anything-but pattern: ${operator}`);
      if (this.reader.next() !== "string") this.fail("prefix match pattern must be a string");
      const value = this.reader.text();
      this.expectEnd(ONE_KEY);
      this.expectEnd(ONE_KEY);
      return { kind: "anything-but-prefix", value };
    } else if (token === "[") {
      pattern = this.readAnythingButList();
    } else if (token === "string") {
      pattern = { kind: "anything-but", strings: [this.reader.text()], numbers: [] };
    } else if (token === "number") {
      pattern = { kind: "anything-but", strings: [], numbers: [this.number(this.reader.text())] };
    } else {
      return this.fail("Value of anything-but must be an array or single string/number value.");
    }
    this.expectEnd(TOO_MANY_ELEMENTS);
    return pattern;
  }

  private readAnythingButList(): Pattern {
    const strings: string[] = [];
    const numbers: ComparableNumber[] = [];
    for (let token = this.reader.next(); token !== "]"; token = this.reader.next()) {
      if (token === "string") strings.push(this.reader.text());
      else if (token === "number") numbers.push(this.number(this.reader.text()));
      else this.fail("Inside anything but list, start|null|boolean is not supported.");
    }
    if ((strings.length > 0) === (numbers.length > 0)) {
      this.fail("Inside anything but list, either all values are number or string, mixed type is not supported");
    }
    return { kind: "anything-but", strings, numbers };
  }

  /** After `"numeric": [`: one comparison, or a lower bound (`>`, `>=`) then an upper one (`<`, `<=`). */
  private readNumeric(): Pattern {
    if (this.reader.next() !== "string") this.fail(`Invalid member in numeric match: ${this.reader.text()}`);
    const operator = this.reader.text();
    const isNumber = this.reader.next() === "number";
    switch (operator) {
      case "=": {
        if (!isNumber) this.fail("Value of equals must be numeric");
        const text = this.reader.text();
        this.expectEnd(TOO_MANY_ELEMENTS, "]");
        const value = this.number(text);
        return { kind: "numeric", lower: { value, open: false }, upper: { value, open: false } };
      }
      case ">":
      case ">=": {
        if (!isNumber) this.fail(`Value of ${operator} must be numeric`);
        const bottom = this.reader.text();
        const after = this.reader.next();
        if (after === "]") return { kind: "numeric", lower: { value: this.number(bottom), open: operator === ">" } };
        return this.readUpperBound(after, bottom, operator === ">");
      }
      case "<":
      case "<=": {
        if (!isNumber) this.fail(`Value of ${operator} must be numeric`);
        const top = this.reader.text();
        this.expectEnd(TOO_MANY_ELEMENTS, "]");
        return { kind: "numeric", upper: { value: this.number(top), open: operator === "<" } };
      }
      default:
        return this.fail(`Unrecognized numeric range operator: ${operator}`);
    }
  }

  /** `token` is the one after the lower bound, already read. */
  private readUpperBound(token: Token, bottomText: string, openBottom: boolean): Pattern {
    if (token !== "string") this.fail(`Bad value in numeric range: ${this.reader.text()}`);
    const operator = this.reader.text();
    if (operator !== "<" && operator !== "<=") this.fail(`Bad numeric range operator: ${operator}`);
    if (this.reader.next() !== "number") this.fail(`Value of ${operator} must be numeric`);
    const topText = this.reader.text();
    this.expectEnd("Too many terms in numeric range expression", "]");
    const bottom = this.number(bottomText);
    const top = this.number(topText);
    if (bottom >= top) this.fail("Bottom must be less than top");
    return { kind: "numeric", lower: { value: bottom, open: openBottom }, upper: { value: top, open: operator === "<" } };
  }

  private number(text: string): ComparableNumber {
    const value = comparable(Number(text));
    if (value === undefined) this.fail(outOfRangeMessage());
    return value as ComparableNumber;
  }

  private cidr(text: string): IpRange {
    try {
      return parseCidr(text);
    } catch (error) {
      // AWS's compiler raises these past its parser: the message carries no place.
      if (error instanceof CidrError) throw new PolicyProblem(error.message);
      throw error;
    }
  }

  private expectEnd(reason: string, end: "}" | "]" = "}"): void {
    if (this.reader.next() !== end) this.fail(reason);
  }

  private fail(reason: string): never {
    throw new PolicyProblem(reason, this.reader.location());
  }
}
