/** Request-level rules shared by the three batch actions, in AWS's order. */
import { BATCH_ENTRY_ID_PATTERN, MAX_BATCH_ENTRIES, SqsErrors } from "../../sdk/protocol/index.js";

export function checkBatchEntries(entries: { Id: string }[], entryName: string): void {
  if (entries.length === 0) throw SqsErrors.emptyBatchRequest(entryName);
  if (entries.length > MAX_BATCH_ENTRIES) throw SqsErrors.tooManyEntriesInBatchRequest(entries.length);
  for (const entry of entries) if (!BATCH_ENTRY_ID_PATTERN.test(entry.Id)) throw SqsErrors.invalidBatchEntryId();
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.Id)) throw SqsErrors.batchEntryIdsNotDistinct(entry.Id);
    seen.add(entry.Id);
  }
}
