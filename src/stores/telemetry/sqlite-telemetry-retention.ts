import type Database from 'better-sqlite3';
import type { DeviceClass, DeviceMessageType } from '../../contract/index.js';
import {
  compareAggregates,
  foldInto,
  utcDay,
  type DailyAggregate,
  type FieldStats,
  type FoldOutcome,
  type TelemetryRetentionDue,
} from './daily-aggregates.js';
import { toStoredEvent, type EventRow } from './sqlite-telemetry-store.js';

const FOLD_CHUNK = 5_000;

/**
 * Tier 1 retention on the SQLite file. A chunk of due events is folded and deleted in one
 * transaction, so a crash leaves either both or neither: nothing is counted twice or lost.
 */
export class SqliteTelemetryRetention {
  readonly #db: Database.Database;
  readonly #foldChunk: (before: number) => number;

  constructor(db: Database.Database) {
    this.#db = db;
    const pick = db.prepare(
      `SELECT * FROM events WHERE device_time < ? ORDER BY seq LIMIT ${FOLD_CHUNK}`,
    );
    const upsert = db.prepare(
      `INSERT INTO daily_aggregates (device_id, day, type, field, store_id, device_class, n, min, max, sum)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (device_id, day, type, field) DO UPDATE SET
         n = n + excluded.n,
         min = CASE WHEN min IS NULL OR excluded.min < min THEN excluded.min ELSE min END,
         max = CASE WHEN max IS NULL OR excluded.max > max THEN excluded.max ELSE max END,
         sum = CASE WHEN excluded.sum IS NULL THEN sum ELSE coalesce(sum, 0) + excluded.sum END`,
    );
    const remove = db.prepare('DELETE FROM events WHERE seq IN (SELECT value FROM json_each(?))');
    this.#foldChunk = db.transaction((before: number) => {
      const events = (pick.all(before) as EventRow[]).map(toStoredEvent);
      const days = new Map<string, { head: string[]; stats: Map<string, FieldStats> }>();
      for (const e of events) {
        const key = `${e.deviceId}\u0000${utcDay(e.deviceTime)}`;
        const day = days.get(key) ?? {
          head: [e.deviceId, utcDay(e.deviceTime), e.storeId, e.deviceClass],
          stats: new Map<string, FieldStats>(),
        };
        foldInto(day.stats, e);
        days.set(key, day);
      }
      for (const { head, stats } of days.values()) {
        const [deviceId, day, storeId, deviceClass] = head;
        for (const [key, s] of stats) {
          const bar = key.indexOf('|');
          upsert.run(
            deviceId,
            day,
            key.slice(0, bar),
            key.slice(bar + 1),
            storeId,
            deviceClass,
            s.n,
            s.min,
            s.max,
            s.sum,
          );
        }
      }
      remove.run(JSON.stringify(events.map((e) => e.seq)));
      return events.length;
    });
  }

  // Async, so a failure is a rejected promise like every port call's, never a throw.
  async due(rawBefore: number, aggregatesBefore: number): Promise<TelemetryRetentionDue> {
    const raw = this.#db
      .prepare('SELECT count(*) AS n FROM events WHERE device_time < ?')
      .get(rawBefore) as { n: number };
    const days = this.#db
      .prepare(
        `SELECT count(*) AS n FROM (SELECT DISTINCT device_id, day FROM daily_aggregates WHERE day < ?)`,
      )
      .get(utcDay(aggregatesBefore)) as { n: number };
    return { rawEvents: raw.n, aggregateDays: days.n };
  }

  async fold(before: number): Promise<FoldOutcome> {
    // Chunks keep each write transaction short, so ingest batches are not held up behind it.
    let folded = 0;
    for (;;) {
      const n = this.#foldChunk(before);
      folded += n;
      if (n < FOLD_CHUNK) return { folded, alreadyFolded: 0 };
    }
  }

  async drop(before: number): Promise<number> {
    const day = utcDay(before);
    return this.#db.transaction(() => {
      const { n } = this.#db
        .prepare(
          `SELECT count(*) AS n FROM (SELECT DISTINCT device_id, day FROM daily_aggregates WHERE day < ?)`,
        )
        .get(day) as { n: number };
      this.#db.prepare('DELETE FROM daily_aggregates WHERE day < ?').run(day);
      return n;
    })();
  }

  async aggregates(deviceId: string, from: number, to: number): Promise<DailyAggregate[]> {
    const rows = this.#db
      .prepare(`SELECT * FROM daily_aggregates WHERE device_id = ? AND day >= ? AND day < ?`)
      .all(deviceId, utcDay(from), utcDay(to)) as {
      device_id: string;
      day: string;
      type: string;
      field: string;
      store_id: string;
      device_class: string;
      n: number;
      min: number | null;
      max: number | null;
      sum: number | null;
    }[];
    return rows
      .map((r) => ({
        deviceId: r.device_id,
        storeId: r.store_id,
        deviceClass: r.device_class as DeviceClass,
        day: r.day,
        type: r.type as DeviceMessageType,
        field: r.field,
        count: r.n,
        min: r.min,
        max: r.max,
        mean: r.sum === null ? null : r.sum / r.n,
      }))
      .sort(compareAggregates);
  }
}
