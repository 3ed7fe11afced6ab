/** A small typed layer over the Durable Object's SQLite: parameterised queries only. */

export type SqlValue = string | number | null | ArrayBuffer;
export type Row = Record<string, SqlValue>;

/** Rows read and written, summed over every query run through one `Sql` (the bench reports them). */
export interface SqlStats {
  rowsRead: number;
  rowsWritten: number;
}

export class Sql {
  readonly stats: SqlStats = { rowsRead: 0, rowsWritten: 0 };
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

  private count(cursor: { rowsRead: number; rowsWritten: number }): void {
    this.stats.rowsRead += cursor.rowsRead;
    this.stats.rowsWritten += cursor.rowsWritten;
  }
}
