import type Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SqliteDatabase } from '../../stores/data-dir/sqlite-driver.js';
import {
  HISTORY_WINDOWS,
  toPoint,
  toStorePoint,
  type HistoryWindow,
  type MetricHistory,
  type MetricHistoryReader,
  type MetricSample,
  type StoreMetricHistory,
  type StoreSample,
} from './metric-history.js';

/**
 * Eight days: the week chart reaches back seven, and a day's margin keeps its oldest points whole.
 * At a sample a minute that is 11,520 fleet rows, and at most one row per store label (200 and
 * `other`) for each of those, only for stores with something in the interval.
 */
export const HISTORY_KEEP_MS = 8 * 86_400_000;

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE samples (
     at INTEGER PRIMARY KEY,
     interval_ms INTEGER NOT NULL,
     stored INTEGER NOT NULL,
     rejects_by_reason TEXT NOT NULL,
     connected_devices INTEGER NOT NULL,
     p50_ms REAL,
     p99_ms REAL,
     auth_failures INTEGER NOT NULL
   );`,
  // Issue 18: p95, and the per-store cut of stored, rejected and connected.
  `ALTER TABLE samples ADD COLUMN p95_ms REAL;
   ALTER TABLE samples ADD COLUMN auth_failures_by_stage TEXT;
   CREATE TABLE store_samples (
     at INTEGER NOT NULL,
     store TEXT NOT NULL,
     stored INTEGER NOT NULL,
     rejected INTEGER NOT NULL,
     connected_devices INTEGER NOT NULL,
     PRIMARY KEY (store, at)
   ) WITHOUT ROWID;
   CREATE INDEX store_samples_at ON store_samples (at);`,
];

interface SampleRow {
  at: number;
  interval_ms: number;
  stored: number;
  rejects_by_reason: string;
  connected_devices: number;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  auth_failures: number;
  /** JSON; null in rows written before stages were kept. */
  auth_failures_by_stage: string | null;
}

interface StoreRow {
  at: number;
  interval_ms: number;
  store: string;
  stored: number;
  rejected: number;
  connected_devices: number;
}

/**
 * The embedded metric history: one row per sampling interval in DIR/metrics/history.db, the last
 * eight days kept. A row a minute is small enough for the main thread (no worker); one process
 * owns the file, as it owns the platform lock.
 */
export class SqliteMetricHistory implements MetricHistoryReader {
  readonly #db: Database.Database;
  readonly #keepMs: number;
  readonly #intervalMs: number;

  constructor(file: string, options: { readonly intervalMs: number; readonly keepMs?: number }) {
    mkdirSync(dirname(file), { recursive: true });
    this.#db = new SqliteDatabase(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('busy_timeout = 5000');
    migrate(this.#db);
    this.#keepMs = options.keepMs ?? HISTORY_KEEP_MS;
    this.#intervalMs = options.intervalMs;
  }

  /** Stores a sample and forgets those older than the history keeps, in one transaction. */
  append(sample: MetricSample): void {
    this.#db.transaction(() => {
      this.#db
        .prepare(
          `INSERT OR REPLACE INTO samples (at, interval_ms, stored, rejects_by_reason,
             connected_devices, p50_ms, p95_ms, p99_ms, auth_failures, auth_failures_by_stage)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          sample.at,
          sample.intervalMs,
          sample.stored,
          JSON.stringify(sample.rejectsByReason),
          sample.connectedDevices,
          sample.publishToStoredP50Ms,
          sample.publishToStoredP95Ms,
          sample.publishToStoredP99Ms,
          sample.authFailures,
          JSON.stringify(sample.authFailuresByStage),
        );
      const store = this.#db.prepare(
        `INSERT OR REPLACE INTO store_samples (at, store, stored, rejected, connected_devices)
         VALUES (?, ?, ?, ?, ?)`,
      );
      for (const [id, s] of Object.entries(sample.byStore))
        store.run(sample.at, id, s.stored, s.rejected, s.connectedDevices);
      const cutoff = sample.at - this.#keepMs;
      this.#db.prepare('DELETE FROM samples WHERE at < ?').run(cutoff);
      this.#db.prepare('DELETE FROM store_samples WHERE at < ?').run(cutoff);
    })();
  }

  /** Samples after `since` (ms), oldest first, with their per-store rows. */
  samples(since: number): MetricSample[] {
    const rows = this.#db
      .prepare('SELECT * FROM samples WHERE at > ? ORDER BY at')
      .all(since) as SampleRow[];
    const stores = new Map<number, Record<string, StoreSample>>();
    const storeRows = this.#db
      .prepare('SELECT * FROM store_samples WHERE at > ?')
      .all(since) as StoreRow[];
    for (const r of storeRows) {
      const at = stores.get(r.at) ?? {};
      at[r.store] = toStoreSample(r);
      stores.set(r.at, at);
    }
    return rows.map((row) => toSample(row, stores.get(row.at) ?? {}));
  }

  read(window: HistoryWindow, now: number): Promise<MetricHistory> {
    const rows = this.#db
      .prepare('SELECT * FROM samples WHERE at > ? ORDER BY at')
      .all(now - HISTORY_WINDOWS[window]) as SampleRow[];
    const points = rows.map((row) => toPoint(toSample(row, {})));
    return Promise.resolve({ window, source: 'embedded', intervalMs: this.#intervalMs, points });
  }

  /**
   * One store's points: every sampled interval of the window, zero where the store had no row
   * (nothing stored, rejected or connected), so its chart shares the fleet chart's time axis.
   */
  readStore(window: HistoryWindow, now: number, store: string): Promise<StoreMetricHistory> {
    const rows = this.#db
      .prepare(
        `SELECT s.at, s.interval_ms, ? AS store, coalesce(t.stored, 0) AS stored,
           coalesce(t.rejected, 0) AS rejected, coalesce(t.connected_devices, 0) AS connected_devices
         FROM samples s LEFT JOIN store_samples t ON t.at = s.at AND t.store = ?
         WHERE s.at > ? ORDER BY s.at`,
      )
      .all(store, store, now - HISTORY_WINDOWS[window]) as StoreRow[];
    const points = rows.map((r) => toStorePoint(r.at, r.interval_ms, toStoreSample(r)));
    return Promise.resolve({
      window,
      source: 'embedded',
      intervalMs: this.#intervalMs,
      store,
      points,
    });
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

function toStoreSample(row: StoreRow): StoreSample {
  return { stored: row.stored, rejected: row.rejected, connectedDevices: row.connected_devices };
}

function toSample(row: SampleRow, byStore: Record<string, StoreSample>): MetricSample {
  return {
    at: row.at,
    intervalMs: row.interval_ms,
    stored: row.stored,
    rejectsByReason: JSON.parse(row.rejects_by_reason) as Record<string, number>,
    connectedDevices: row.connected_devices,
    publishToStoredP50Ms: row.p50_ms,
    publishToStoredP95Ms: row.p95_ms,
    publishToStoredP99Ms: row.p99_ms,
    authFailures: row.auth_failures,
    authFailuresByStage:
      row.auth_failures_by_stage === null
        ? {}
        : (JSON.parse(row.auth_failures_by_stage) as Record<string, number>),
    byStore,
  };
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
