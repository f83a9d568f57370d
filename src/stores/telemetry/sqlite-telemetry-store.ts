import type Database from 'better-sqlite3';
import { SqliteDatabase } from '../data-dir/sqlite-driver.js';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DeviceClass, DeviceMessageType } from '../../contract/index.js';
import type {
  AppendOutcome,
  DeviceEventsQuery,
  DeviceUsage,
  StoreEventsQuery,
  StoredEvent,
  TelemetryRecord,
  TelemetryStore,
} from './telemetry-store.js';
import { DEFAULT_RETENTION_DAYS } from './telemetry-store.js';
import type { DailyAggregate, FoldOutcome, TelemetryRetentionDue } from './daily-aggregates.js';
import { SqliteTelemetryRetention } from './sqlite-telemetry-retention.js';

// The port holds the default, so an adapter need not import this one (and better-sqlite3) for it.
export { DEFAULT_RETENTION_DAYS };
const DAY_MS = 86_400_000;
const EXPIRE_CHUNK = 20_000;

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE events (
     seq INTEGER PRIMARY KEY,
     device_id TEXT NOT NULL,
     counter INTEGER NOT NULL,
     store_id TEXT NOT NULL,
     device_class TEXT NOT NULL,
     type TEXT NOT NULL,
     device_time INTEGER NOT NULL,
     received_at INTEGER NOT NULL,
     body TEXT NOT NULL,
     signature BLOB NOT NULL,
     UNIQUE (device_id, counter)
   );
   CREATE INDEX events_by_device_time ON events (device_id, device_time);
   CREATE INDEX events_by_store_time ON events (store_id, device_time);
   CREATE INDEX events_by_received ON events (received_at);`,
  // Every index costs each insert; expiry can walk the sequence instead (see expire).
  `DROP INDEX events_by_received;`,
  // Decision 063: what is left of a device's day once its raw events pass 18 months (the
  // retention file folds into it). The sum, not the mean, so later folds of a day merge.
  `CREATE TABLE daily_aggregates (
     device_id TEXT NOT NULL,
     day TEXT NOT NULL,
     type TEXT NOT NULL,
     field TEXT NOT NULL,
     store_id TEXT NOT NULL,
     device_class TEXT NOT NULL,
     n INTEGER NOT NULL,
     min REAL,
     max REAL,
     sum REAL,
     PRIMARY KEY (device_id, day, type, field)
   ) WITHOUT ROWID;
   CREATE INDEX daily_aggregates_by_day ON daily_aggregates (day);`,
];

export interface EventRow {
  seq: number;
  device_id: string;
  counter: number;
  store_id: string;
  device_class: string;
  type: string;
  device_time: number;
  received_at: number;
  body: string;
  signature: Buffer;
}

export interface SqliteTelemetryOptions {
  readonly retentionDays?: number;
}

/**
 * The embedded telemetry store: one SQLite file in WAL mode with synchronous=FULL, so a batch is
 * on disk when `append` returns and the ingest may acknowledge it. One process owns the file.
 */
export class SqliteTelemetryStore implements TelemetryStore {
  readonly #db: Database.Database;
  readonly #retentionMs: number;
  readonly #insert: Database.Statement;
  readonly #appendBatch: (records: readonly TelemetryRecord[]) => (number | null)[];
  readonly #retention: SqliteTelemetryRetention;

  constructor(file: string, options: SqliteTelemetryOptions = {}) {
    mkdirSync(dirname(file), { recursive: true });
    this.#db = new SqliteDatabase(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.pragma('busy_timeout = 5000');
    migrate(this.#db);
    this.#retentionMs = (options.retentionDays ?? DEFAULT_RETENTION_DAYS) * DAY_MS;
    this.#retention = new SqliteTelemetryRetention(this.#db);
    this.#insert = this.#db.prepare(
      `INSERT INTO events (device_id, counter, store_id, device_class, type, device_time,
                           received_at, body, signature)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (device_id, counter) DO NOTHING`,
    );
    this.#appendBatch = this.#db.transaction((records: readonly TelemetryRecord[]) =>
      records.map((r) => {
        const { changes, lastInsertRowid } = this.#insert.run(
          r.deviceId,
          r.counter,
          r.storeId,
          r.deviceClass,
          r.type,
          r.deviceTime,
          r.receivedAt,
          r.body,
          Buffer.from(r.signature.buffer, r.signature.byteOffset, r.signature.byteLength),
        );
        return changes === 1 ? Number(lastInsertRowid) : null;
      }),
    );
  }

  append(records: readonly TelemetryRecord[]): Promise<AppendOutcome> {
    if (records.length === 0) return Promise.resolve({ fresh: [], seqs: [] });
    const seqs = this.#appendBatch(records);
    return Promise.resolve({ fresh: seqs.map((seq) => seq !== null), seqs });
  }

  latestForDevice(deviceId: string, query: DeviceEventsQuery): Promise<StoredEvent[]> {
    // Conditions are left out rather than switched off with `? IS NULL OR …`, so the keyset
    // comparison on (device_time, counter) stays a range seek on the index, however deep the page.
    const where = ['device_id = ?'];
    const params: unknown[] = [deviceId];
    if (query.type !== undefined) {
      where.push('type = ?');
      params.push(query.type);
    }
    if (query.before !== undefined) {
      where.push('(device_time, counter) < (?, ?)');
      params.push(query.before.deviceTime, query.before.counter);
    }
    return Promise.resolve(
      this.#all(
        `SELECT * FROM events WHERE ${where.join(' AND ')}
         ORDER BY device_time DESC, counter DESC LIMIT ?`,
        ...params,
        query.limit,
      ),
    );
  }

  storeEventsBetween(storeId: string, query: StoreEventsQuery): Promise<StoredEvent[]> {
    return Promise.resolve(
      this.#all(
        `SELECT * FROM events WHERE store_id = ? AND device_time >= ? AND device_time < ?
         ORDER BY device_time, seq LIMIT ?`,
        storeId,
        query.from,
        query.to,
        query.limit,
      ),
    );
  }

  usageBetween(from: number, to: number): Promise<DeviceUsage[]> {
    // No index serves a time range across stores (each costs every insert), so this reads the
    // table: fine for a monthly report, not for a dashboard that refreshes.
    const rows = this.#db
      .prepare(
        `SELECT store_id, device_id, device_class, count(*) AS messages,
           sum(length(CAST(body AS BLOB)) + length(signature)) AS bytes,
           count(DISTINCT device_time / ${DAY_MS}) AS active_days
         FROM events WHERE device_time >= ? AND device_time < ?
         GROUP BY store_id, device_id, device_class ORDER BY store_id, device_id`,
      )
      .all(from, to) as {
      store_id: string;
      device_id: string;
      device_class: string;
      messages: number;
      bytes: number;
      active_days: number;
    }[];
    return Promise.resolve(
      rows.map((r) => ({
        storeId: r.store_id,
        deviceId: r.device_id,
        deviceClass: r.device_class as DeviceClass,
        messages: r.messages,
        bytes: r.bytes,
        activeDays: r.active_days,
      })),
    );
  }

  eventsAfter(seq: number, limit: number): Promise<StoredEvent[]> {
    return Promise.resolve(
      this.#all('SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?', seq, limit),
    );
  }

  eventsBySeq(seqs: readonly number[]): Promise<StoredEvent[]> {
    if (seqs.length === 0) return Promise.resolve([]);
    return Promise.resolve(
      this.#all(
        `SELECT * FROM events WHERE seq IN (SELECT value FROM json_each(?)) ORDER BY seq`,
        JSON.stringify(seqs),
      ),
    );
  }

  expire(now: number): Promise<number> {
    const cutoff = now - this.#retentionMs;
    // Arrival order is storage order (seq), give or take one batch, so the expired rows are the
    // oldest seqs: walk from the start to the first row that is still within retention. A row
    // stored a little out of order waits for the next pass rather than costing an index.
    const remove = this.#db.prepare(
      `DELETE FROM events WHERE seq IN
         (SELECT seq FROM events WHERE seq < coalesce(
            (SELECT seq FROM events WHERE received_at >= ? ORDER BY seq LIMIT 1), 9007199254740991)
          ORDER BY seq LIMIT ${EXPIRE_CHUNK})`,
    );
    // Chunks keep each write transaction short, so ingest batches are not held up behind it.
    let total = 0;
    for (;;) {
      const { changes } = remove.run(cutoff);
      total += changes;
      if (changes < EXPIRE_CHUNK) return Promise.resolve(total);
    }
  }

  retentionDue(rawBefore: number, aggregatesBefore: number): Promise<TelemetryRetentionDue> {
    return this.#retention.due(rawBefore, aggregatesBefore);
  }

  foldBefore(before: number): Promise<FoldOutcome> {
    return this.#retention.fold(before);
  }

  dropAggregatesBefore(before: number): Promise<number> {
    return this.#retention.drop(before);
  }

  dailyAggregates(deviceId: string, from: number, to: number): Promise<DailyAggregate[]> {
    return this.#retention.aggregates(deviceId, from, to);
  }

  count(): Promise<number> {
    const row = this.#db.prepare('SELECT count(*) AS n FROM events').get() as { n: number };
    return Promise.resolve(row.n);
  }

  close(): Promise<void> {
    if (this.#db.open) this.#db.close();
    return Promise.resolve();
  }

  #all(sql: string, ...params: unknown[]): StoredEvent[] {
    return (this.#db.prepare(sql).all(...params) as EventRow[]).map(toStoredEvent);
  }
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    seq: row.seq,
    deviceId: row.device_id,
    counter: row.counter,
    storeId: row.store_id,
    deviceClass: row.device_class as DeviceClass,
    type: row.type as DeviceMessageType,
    deviceTime: row.device_time,
    receivedAt: row.received_at,
    body: row.body,
    signature: new Uint8Array(row.signature),
  };
}
