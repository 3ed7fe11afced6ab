/**
 * The FIFO SequenceNumber of a message: 20 digits like AWS's (e.g. "18849496460467696128").
 * A fixed width keeps it strictly increasing with seq, as a number and as a string alike.
 */
export function sequenceNumberOf(seq: number): string {
  return `1${String(seq).padStart(19, "0")}`;
}
