/**
 * The `Date` header as a SigV4 signing time. A client that signs with `Date` instead of
 * X-Amz-Date writes it as HTTP writes dates (IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`;
 * Python's email.utils.formatdate, which botocore uses, writes the zone as `-0000`), or in
 * SigV4's own basic format. Only UTC times are accepted: the string to sign carries the time as
 * `YYYYMMDDTHHMMSSZ`, and any other zone would make two readings of the same header possible.
 * The day of the week is not checked against the date: AWS's own 2011 test suite signs
 * `Mon, 09 Sep 2011`, a Friday (tests/unit/sigv4-strict.test.ts).
 */
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const IMF_FIXDATE = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) (?:GMT|UTC|[+-]0000)$/;
const BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** The time as `YYYYMMDDTHHMMSSZ`, or undefined when the text is no valid UTC date. */
export function parseHttpDate(text: string): string | undefined {
  const imf = IMF_FIXDATE.exec(text);
  if (imf) {
    const [, , day, month, year, hour, minute, second] = imf as unknown as string[];
    const time = utc(+year!, MONTHS.indexOf(month!), +day!, +hour!, +minute!, +second!);
    return time === undefined ? undefined : basicFormat(time);
  }
  const basic = BASIC.exec(text);
  if (basic && utc(+basic[1]!, +basic[2]! - 1, +basic[3]!, +basic[4]!, +basic[5]!, +basic[6]!) !== undefined) return text;
  return undefined;
}

/** Milliseconds since the epoch, or undefined when a field is out of range (no rolling over). */
function utc(year: number, month: number, day: number, hour: number, minute: number, second: number): number | undefined {
  const time = Date.UTC(year, month, day, hour, minute, second);
  const date = new Date(time);
  const exact =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  return exact ? time : undefined;
}

const basicFormat = (time: number) => new Date(time).toISOString().replace(/[:-]|\.\d{3}/g, "");
