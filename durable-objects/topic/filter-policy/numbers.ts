/**
 * Numbers as SNS filtering compares them: within -10^9..10^9, six decimal places (the developer
 * guide's "Filter policy constraints" promises five; comparisons hold to the sixth), so 5, 5.0 and
 * 5.0000001 are equal, and a value outside the range compares with nothing.
 */
import type { ComparableNumber } from "./types.js";

export const NUMERIC_LIMIT = 1_000_000_000;
const SCALE = 1_000_000;

/** Java's Double.parseDouble accepts this (after trimming) and so do filter policies' number attributes. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The comparable form of a finite number in range, or undefined. */
export function comparable(value: number): ComparableNumber | undefined {
  if (!Number.isFinite(value) || value < -NUMERIC_LIMIT || value > NUMERIC_LIMIT) return undefined;
  // Truncation (not rounding) mirrors the integer cast the matcher applies; +0 avoids -0 keys.
  return Math.trunc(value * SCALE) + 0;
}

/** The comparable form of a number written as text (a Number attribute's StringValue), or undefined. */
export function comparableText(text: string): ComparableNumber | undefined {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) return undefined;
  return comparable(Number(trimmed));
}

/** The message AWS's matcher gives for a policy number it cannot compare. */
export function outOfRangeMessage(): string {
  return `Value must be between ${javaDouble(-NUMERIC_LIMIT)} and ${javaDouble(NUMERIC_LIMIT)}, inclusive`;
}

function javaDouble(value: number): string {
  // Java prints 1.0E9 for a double of that size.
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  return `${value < 0 ? "-" : ""}${Math.abs(value) / 10 ** exponent}.0E${exponent}`;
}
