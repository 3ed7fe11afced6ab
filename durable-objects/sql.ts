/** A small typed layer over the Durable Object's SQLite: parameterised queries only. */

export type SqlValue = string | number | null | ArrayBuffer;
export type Row = Record<string, SqlValue>;

/**
 * Rows read and written, summed over every query run through one `Sql` (the bench reports them).
 * `rowsWritten` includes `alarmWrites`: Cloudflare bills each setAlarm() and deleteAlarm() as a
 * row written, so the figure is what a bill would show.
 */
export interface SqlStats {
  rowsRead: number;
  rowsWritten: number;
  alarmWrites: number;
}

export class Sql {
  readonly stats: SqlStats = { rowsRead: 0, rowsWritten: 0, alarmWrites: 0 };
  constructor(private readonly storage: SqlStorage) {}

  all<T extends Row = Row>(query: string, ...params: SqlValue[]): T[] {
    const cursor = this.storage.exec<T>(query, ...params);
    const rows = cursor.toArray();
    this.count(cursor);
    return rows;
  }

  one<T extends Row = Row>(query: string, ...params: SqlValue[]): T | undefined {
    return this.all<T>(query, ...params)[0];
  }

  run(query: string, ...params: SqlValue[]): number {
    const cursor = this.storage.exec(query, ...params);
    for (const _ of cursor) {
      // drain so the statement completes and the counters are final
    }
    this.count(cursor);
    return cursor.rowsWritten;
  }

  /** An alarm set or deleted beside these queries: billed as a row written. */
  countAlarmWrite(): void {
    this.stats.alarmWrites += 1;
    this.stats.rowsWritten += 1;
  }

  private count(cursor: { rowsRead: number; rowsWritten: number }): void {
    this.stats.rowsRead += cursor.rowsRead;
    this.stats.rowsWritten += cursor.rowsWritten;
  }
}
