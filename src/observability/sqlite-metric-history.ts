import type Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SqliteDatabase } from '../data-dir/sqlite-driver.js';
import {
  HISTORY_WINDOWS,
  toPoint,
  type HistoryWindow,
  type MetricHistory,
  type MetricHistoryReader,
  type MetricSample,
} from './metric-history.js';

/** Eight days: the day charts reach back a day, with a week's margin to compare against. */
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
];

interface SampleRow {
  at: number;
  interval_ms: number;
  stored: number;
  rejects_by_reason: string;
  connected_devices: number;
  p50_ms: number | null;
  p99_ms: number | null;
  auth_failures: number;
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

  /** Stores a sample and forgets those older than the history keeps. */
  append(sample: MetricSample): void {
    this.#db
      .prepare(
        `INSERT OR REPLACE INTO samples (at, interval_ms, stored, rejects_by_reason,
           connected_devices, p50_ms, p99_ms, auth_failures)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        sample.at,
        sample.intervalMs,
        sample.stored,
        JSON.stringify(sample.rejectsByReason),
        sample.connectedDevices,
        sample.publishToStoredP50Ms,
        sample.publishToStoredP99Ms,
        sample.authFailures,
      );
    this.#db.prepare('DELETE FROM samples WHERE at < ?').run(sample.at - this.#keepMs);
  }

  /** Samples after `since` (ms), oldest first. */
  samples(since: number): MetricSample[] {
    const rows = this.#db
      .prepare('SELECT * FROM samples WHERE at > ? ORDER BY at')
      .all(since) as SampleRow[];
    return rows.map(toSample);
  }

  read(window: HistoryWindow, now: number): Promise<MetricHistory> {
    const points = this.samples(now - HISTORY_WINDOWS[window]).map(toPoint);
    return Promise.resolve({ window, source: 'embedded', intervalMs: this.#intervalMs, points });
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

function toSample(row: SampleRow): MetricSample {
  return {
    at: row.at,
    intervalMs: row.interval_ms,
    stored: row.stored,
    rejectsByReason: JSON.parse(row.rejects_by_reason) as Record<string, number>,
    connectedDevices: row.connected_devices,
    publishToStoredP50Ms: row.p50_ms,
    publishToStoredP99Ms: row.p99_ms,
    authFailures: row.auth_failures,
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
