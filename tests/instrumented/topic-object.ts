/**
 * TEST AND BENCH ONLY: the topic object with the counters the bench reads (rows written and read,
 * alarm writes included, and calls per method), as the instrumented queue object has them. The
 * deployed Worker exports the plain TopicObject; the unit tests' and the bench's Worker
 * (worker.ts here) export this class under the same name instead.
 */
import { TopicObject } from "../../durable-objects/topic/topic-object.js";
import type { Sql, SqlStats } from "../../durable-objects/sql.js";
import { busyStatsOf, measureBusyTime, type BusyStats } from "./busy-time.js";

export class InstrumentedTopicObject extends TopicObject {
  constructor(ctx: DurableObjectState, env: ConstructorParameters<typeof TopicObject>[1]) {
    super(ctx, env);
    // Cloudflare bills each setAlarm()/deleteAlarm() as a row written; the topic object's Sql
    // does not count them (the queue's engine does), so they are counted here, on the same Sql.
    const sql = this.topicSql();
    const storage = ctx.storage;
    const setAlarm = storage.setAlarm.bind(storage);
    const deleteAlarm = storage.deleteAlarm.bind(storage);
    storage.setAlarm = (...args: Parameters<typeof setAlarm>) => (sql.countAlarmWrite(), setAlarm(...args));
    storage.deleteAlarm = (...args: Parameters<typeof deleteAlarm>) => (sql.countAlarmWrite(), deleteAlarm(...args));
  }

  /** The object's own Sql (a private field of the deployed class, read here by name). */
  private topicSql(): Sql {
    return (this as unknown as { sql: Sql }).sql;
  }

  /** SQLite rows read and written (alarm writes included) by this object since it was built. */
  sqlStats(): SqlStats {
    return { ...this.topicSql().stats };
  }

  /** Time with a handler in progress and calls per method since it was built. */
  busyStats(): BusyStats {
    return busyStatsOf(this);
  }
}

// Busy time and calls are measured around every method (busy-time.ts), except the stats readers.
measureBusyTime(InstrumentedTopicObject, ["sqlStats", "busyStats", "topicSql"], TopicObject);
