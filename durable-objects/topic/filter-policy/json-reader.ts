/**
 * A pull reader for JSON text that stands where AWS's JSON parser stands after each token, so an
 * error can name the same line and column AWS names ("… at [Source: …; line: 1, column: 22]").
 * Like that parser it reads a field's name, the colon and the start of its value in one step, reads
 * a string's body only when its text is asked for (or the next token is), and counts a column as
 * the 1-based position of the next unread character.
 */

export type Token = "{" | "}" | "[" | "]" | "field" | "string" | "number" | "true" | "false" | "null" | "end";

export interface Location {
  line: number;
  column: number;
}

/** The text is not JSON. `reason` is worded as AWS's parser words it. */
export class JsonSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly location: Location,
    readonly startMarker?: Location,
  ) {
    super(reason);
  }
}

interface Frame {
  kind: "object" | "array";
  afterValue: boolean;
  start: Location;
}

const VALUE_EXPECTED = "expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
const WORD = /[A-Za-z0-9_$]/;
const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

export class JsonReader {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  private readonly frames: Frame[] = [];
  private current: Token = "end";
  private currentText = "";
  private deferred: { token: Token; text: string } | undefined;
  /** The current string token's body is not read yet (only its opening quote). */
  private openString = false;
  private currentFieldOffset = -1;

  constructor(readonly source: string) {}

  /** Where the reader stands: the next unread character. */
  location(): Location {
    return { line: this.line, column: this.pos - this.lineStart + 1 };
  }

  /** The offset in the source of the current field name's opening quote. */
  fieldOffset(): number {
    return this.currentFieldOffset;
  }

  /** The current token's text: a field's name, a string's value, a number or literal as written, or the bracket. */
  text(): string {
    if (this.current === "string" && this.openString) this.finishString();
    return this.currentText;
  }

  next(): Token {
    if (this.deferred) {
      const { token, text } = this.deferred;
      this.deferred = undefined;
      return this.setCurrent(token, text);
    }
    if (this.openString) this.finishString();
    this.skipWhitespace();
    const frame = this.frames[this.frames.length - 1];
    if (this.pos >= this.source.length) {
      if (!frame) return this.setCurrent("end", "");
      const kind = frame.kind === "object" ? "Object" : "Array";
      throw new JsonSyntaxError(`Unexpected end-of-input: expected close marker for ${kind}`, this.location(), frame.start);
    }
    let ch = this.source[this.pos] as string;
    // A closing bracket ends an empty container or follows a value (after a comma it is an error below).
    if (frame && ch === (frame.kind === "object" ? "}" : "]")) {
      this.pos++;
      this.frames.pop();
      this.markValueDone();
      return this.setCurrent(ch as Token, ch);
    }
    if (frame?.afterValue) {
      this.pos++;
      if (ch !== ",") {
        throw this.unexpected(ch, `was expecting comma to separate ${frame.kind === "object" ? "Object" : "Array"} entries`);
      }
      this.skipWhitespace();
      if (this.pos >= this.source.length) return this.next();
      ch = this.source[this.pos] as string;
    }
    if (frame?.kind === "object") {
      this.currentFieldOffset = this.pos;
      this.pos++;
      if (ch !== '"') throw this.unexpected(ch, "was expecting double-quote to start field name");
      const name = this.readStringBody();
      this.skipWhitespace();
      if (this.pos >= this.source.length) {
        throw new JsonSyntaxError("Unexpected end-of-input within/between Object entries", this.location());
      }
      const colon = this.source[this.pos] as string;
      this.pos++;
      if (colon !== ":") throw this.unexpected(colon, "was expecting a colon to separate field name and value");
      this.skipWhitespace();
      frame.afterValue = true;
      this.deferred = this.startValue();
      return this.setCurrent("field", name);
    }
    if (frame) frame.afterValue = true;
    const value = this.startValue();
    return this.setCurrent(value.token, value.text);
  }

  private setCurrent(token: Token, text: string): Token {
    this.current = token;
    this.currentText = text;
    return token;
  }

  private markValueDone(): void {
    const parent = this.frames[this.frames.length - 1];
    if (parent) parent.afterValue = true;
  }

  private startValue(): { token: Token; text: string } {
    if (this.pos >= this.source.length) {
      throw new JsonSyntaxError("Unexpected end-of-input: expected a value", this.location());
    }
    const ch = this.source[this.pos] as string;
    const start = this.location();
    if (ch === '"') {
      this.pos++;
      this.openString = true;
      return { token: "string", text: "" };
    }
    if (ch === "{" || ch === "[") {
      this.pos++;
      this.frames.push({ kind: ch === "{" ? "object" : "array", afterValue: false, start });
      return { token: ch, text: ch };
    }
    if (ch === "-" || (ch >= "0" && ch <= "9")) return { token: "number", text: this.readNumber() };
    if (WORD.test(ch)) return this.readLiteral();
    this.pos++;
    throw this.unexpected(ch, VALUE_EXPECTED);
  }

  private finishString(): void {
    this.openString = false;
    this.currentText = this.readStringBody();
  }

  /** Reads a string after its opening quote, through its closing quote. */
  private readStringBody(): string {
    let out = "";
    for (;;) {
      if (this.pos >= this.source.length) {
        throw new JsonSyntaxError("Unexpected end-of-input: was expecting closing quote for a string value", this.location());
      }
      const ch = this.source[this.pos++] as string;
      if (ch === '"') return out;
      if (ch === "\\") {
        const escape = this.source[this.pos++];
        if (escape === undefined) {
          throw new JsonSyntaxError("Unexpected end-of-input in character escape sequence", this.location());
        }
        if (escape === "u") {
          const hex = this.source.slice(this.pos, this.pos + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            this.pos += hex.length;
            throw new JsonSyntaxError("Unexpected character in character escape sequence: expected a hex-digit", this.location());
          }
          this.pos += 4;
          out += String.fromCharCode(parseInt(hex, 16));
        } else if (escape in ESCAPES) {
          out += ESCAPES[escape];
        } else {
          throw new JsonSyntaxError(`Unrecognized character escape ${describeChar(escape)}`, this.location());
        }
      } else if (ch < " ") {
        throw new JsonSyntaxError(
          `Illegal unquoted character (${describeChar(ch)}): has to be escaped using backslash to be included in string value`,
          this.location(),
        );
      } else {
        out += ch;
      }
    }
  }

  private readNumber(): string {
    const start = this.pos;
    if (this.source[this.pos] === "-") this.pos++;
    const digits = (what: string): void => {
      const ch = this.source[this.pos];
      if (ch === undefined || ch < "0" || ch > "9") {
        if (ch !== undefined) this.pos++;
        throw new JsonSyntaxError(
          ch === undefined
            ? "Unexpected end-of-input in a Number value"
            : `Unexpected character (${describeChar(ch)}) in numeric value: ${what}`,
          this.location(),
        );
      }
      while (this.pos < this.source.length && (this.source[this.pos] as string) >= "0" && (this.source[this.pos] as string) <= "9") {
        this.pos++;
      }
    };
    const intStart = this.pos;
    digits("expected digit (0-9) to follow minus sign, for valid numeric value");
    if (this.source[intStart] === "0" && this.pos - intStart > 1) {
      throw new JsonSyntaxError("Invalid numeric value: Leading zeroes not allowed", this.location());
    }
    if (this.source[this.pos] === ".") {
      this.pos++;
      digits("Decimal point not followed by a digit");
    }
    if (this.source[this.pos] === "e" || this.source[this.pos] === "E") {
      this.pos++;
      if (this.source[this.pos] === "+" || this.source[this.pos] === "-") this.pos++;
      digits("Exponent indicator not followed by a digit");
    }
    return this.source.slice(start, this.pos);
  }

  private readLiteral(): { token: Token; text: string } {
    const start = this.pos;
    while (this.pos < this.source.length && WORD.test(this.source[this.pos] as string)) this.pos++;
    const word = this.source.slice(start, this.pos);
    if (word === "true" || word === "false" || word === "null") return { token: word, text: word };
    throw new JsonSyntaxError(
      `Unrecognized token '${word}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`,
      this.location(),
    );
  }

  private skipWhitespace(): void {
    while (this.pos < this.source.length) {
      const ch = this.source[this.pos];
      if (ch === " " || ch === "\t") {
        this.pos++;
      } else if (ch === "\n" || ch === "\r") {
        this.pos++;
        if (ch === "\r" && this.source[this.pos] === "\n") this.pos++;
        this.line++;
        this.lineStart = this.pos;
      } else {
        return;
      }
    }
  }

  private unexpected(ch: string, expectation: string): JsonSyntaxError {
    return new JsonSyntaxError(`Unexpected character (${describeChar(ch)}): ${expectation}`, this.location());
  }
}

/** A character as AWS's parser describes it in errors: `'x' (code 120)` or `(CTRL-CHAR, code 10)`. */
function describeChar(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 32 || code === 127) return `(CTRL-CHAR, code ${code})`;
  if (code > 255) return `'${ch}' (code ${code} / 0x${code.toString(16)})`;
  return `'${ch}' (code ${code})`;
}
