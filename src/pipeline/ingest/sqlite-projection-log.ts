import type Database from 'better-sqlite3';
import { SqliteDatabase } from '../../stores/data-dir/sqlite-driver.js';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StoredEvent } from '../../stores/telemetry/telemetry-store.js';
import type { DeadLetter, ProjectionLog } from './projection-log.js';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS cursor (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);
  INSERT OR IGNORE INTO cursor (id, seq) VALUES (1, 0);
  CREATE TABLE IF NOT EXISTS dead_letters (
    id INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE,
    event TEXT NOT NULL,
    error TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    first_failed_at INTEGER NOT NULL,
    last_failed_at INTEGER NOT NULL
  );`;

interface Row {
  id: number;
  event: string;
  error: string;
  attempts: number;
  first_failed_at: number;
  last_failed_at: number;
}

/**
 * The projection log in its own small SQLite file, WAL with synchronous=NORMAL: a commit survives
 * the process crashing at once, and only an operating-system crash or power cut can lose the
 * last few. Losing them moves the cursor back, and the projector applies those events again,
 * which is idempotent (decision 003); a dead letter goes back with the advance that parked it.
 * An fsync per projected batch cost the event loop more than the projection itself.
 */
export class SqliteProjectionLog implements ProjectionLog {
  readonly #db: Database.Database;

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.#db = new SqliteDatabase(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(SCHEMA);
  }

  cursor(): Promise<number> {
    const row = this.#db.prepare('SELECT seq FROM cursor WHERE id = 1').get() as { seq: number };
    return Promise.resolve(row.seq);
  }

  advance(
    seq: number,
    failed: readonly { event: StoredEvent; error: string; attempts: number }[],
    at: number,
  ): Promise<void> {
    const park = this.#db.prepare(
      `INSERT INTO dead_letters (seq, event, error, attempts, first_failed_at, last_failed_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (seq) DO UPDATE SET error = excluded.error,
         attempts = dead_letters.attempts + excluded.attempts, last_failed_at = excluded.last_failed_at`,
    );
    const move = this.#db.prepare('UPDATE cursor SET seq = max(seq, ?) WHERE id = 1');
    this.#db.transaction(() => {
      for (const f of failed) {
        park.run(f.event.seq, serialise(f.event), f.error.slice(0, 2000), f.attempts, at, at);
      }
      move.run(seq);
    })();
    return Promise.resolve();
  }

  listDeadLetters(limit: number): Promise<DeadLetter[]> {
    const rows = this.#db
      .prepare('SELECT * FROM dead_letters ORDER BY seq LIMIT ?')
      .all(limit) as Row[];
    return Promise.resolve(rows.map(toDeadLetter));
  }

  countDeadLetters(): Promise<number> {
    const row = this.#db.prepare('SELECT count(*) AS n FROM dead_letters').get() as { n: number };
    return Promise.resolve(row.n);
  }

  removeDeadLetters(ids: readonly number[]): Promise<void> {
    const remove = this.#db.prepare('DELETE FROM dead_letters WHERE id = ?');
    this.#db.transaction(() => ids.forEach((id) => remove.run(id)))();
    return Promise.resolve();
  }

  markReplayFailed(id: number, error: string, at: number): Promise<void> {
    this.#db
      .prepare(
        'UPDATE dead_letters SET error = ?, attempts = attempts + 1, last_failed_at = ? WHERE id = ?',
      )
      .run(error.slice(0, 2000), at, id);
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (this.#db.open) this.#db.close();
    return Promise.resolve();
  }
}

function serialise(event: StoredEvent): string {
  return JSON.stringify({ ...event, signature: Buffer.from(event.signature).toString('base64') });
}

function toDeadLetter(row: Row): DeadLetter {
  const raw = JSON.parse(row.event) as Omit<StoredEvent, 'signature'> & { signature: string };
  return {
    id: row.id,
    event: { ...raw, signature: new Uint8Array(Buffer.from(raw.signature, 'base64')) },
    error: row.error,
    attempts: row.attempts,
    firstFailedAt: row.first_failed_at,
    lastFailedAt: row.last_failed_at,
  };
}
