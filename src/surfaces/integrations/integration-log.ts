import type Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SqliteDatabase } from '../../stores/data-dir/sqlite-driver.js';
import type { DeadLetter } from './integration-dead-letter.js';
import type { IntegrationsDocument } from './integration-schema.js';

/** Attempts kept per integration: the log says what happened lately, it is not an archive. */
export const ATTEMPTS_KEPT = 200;

export interface DeliveryAttempt {
  readonly at: number;
  /** The idempotency id, `<device>:<counter>`. */
  readonly deliveryId: string;
  readonly seq: number;
  readonly outcome: 'delivered' | 'failed';
  /** The HTTP status for a webhook; null for JetStream or no answer. */
  readonly status: number | null;
  readonly latencyMs: number;
  readonly error: string | null;
}

export interface IntegrationPosition {
  /** The last feed sequence number this integration is done with (delivered or not matching). */
  readonly cursor: number;
  readonly consecutiveFailures: number;
  readonly lastError: string | null;
  readonly delivered: number;
  readonly failed: number;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS document (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS positions (
    integration_id TEXT PRIMARY KEY,
    cursor INTEGER NOT NULL,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    delivered INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY,
    integration_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    delivery_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    status INTEGER,
    latency_ms INTEGER NOT NULL,
    error TEXT
  );
  CREATE INDEX IF NOT EXISTS attempts_by_integration ON attempts (integration_id, id);
  -- Which events were parked, not their content: the event stays in the telemetry store, under
  -- its retention and a data subject's erasure, and a redelivery reads it from there.
  CREATE TABLE IF NOT EXISTS dead_letters (
    integration_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    delivery_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    status INTEGER,
    error TEXT NOT NULL,
    refusals INTEGER NOT NULL,
    PRIMARY KEY (integration_id, seq)
  );`;

interface DeadLetterRow {
  seq: number;
  delivery_id: string;
  at: number;
  status: number | null;
  error: string;
  refusals: number;
}

const fromRow = (r: DeadLetterRow): DeadLetter => ({
  ...{ seq: r.seq, deliveryId: r.delivery_id, at: r.at },
  ...{ status: r.status, error: r.error, refusals: r.refusals },
});

interface PositionRow {
  cursor: number;
  consecutive_failures: number;
  last_error: string | null;
  delivered: number;
  failed: number;
}

/**
 * The integrations' durable state, in a SQLite file of the data directory beside the projection
 * log (the cursors are positions in this platform's telemetry feed, as the projector's is): the
 * document (secrets sealed), each integration's cursor and counts, and its last attempts.
 * WAL with synchronous=NORMAL, as the projection log: a cursor lost to a power cut moves back and
 * its events are delivered again, which at-least-once allows and the idempotency id absorbs.
 */
export class IntegrationLog {
  readonly #db: Database.Database;

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.#db = new SqliteDatabase(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(SCHEMA);
  }

  document(): IntegrationsDocument {
    const row = this.#db.prepare('SELECT json FROM document WHERE id = 1').get() as
      { json: string } | undefined;
    return row ? (JSON.parse(row.json) as IntegrationsDocument) : { integrations: [] };
  }

  /**
   * Replaces the document in one step: a new integration starts at `startAt` (it delivers what
   * arrives from now on); one that stays keeps its cursor; a removed one loses cursor and log.
   */
  replace(document: IntegrationsDocument, startAt: number): void {
    const ids = document.integrations.map((i) => i.id);
    this.#db.transaction(() => {
      this.#db
        .prepare('INSERT OR REPLACE INTO document (id, json) VALUES (1, ?)')
        .run(JSON.stringify(document));
      const start = this.#db.prepare(
        'INSERT OR IGNORE INTO positions (integration_id, cursor) VALUES (?, ?)',
      );
      for (const id of ids) start.run(id, startAt);
      const kept = JSON.stringify(ids);
      this.#db
        .prepare(
          'DELETE FROM positions WHERE integration_id NOT IN (SELECT value FROM json_each(?))',
        )
        .run(kept);
      for (const table of ['attempts', 'dead_letters']) {
        this.#db
          .prepare(
            `DELETE FROM ${table} WHERE integration_id NOT IN (SELECT value FROM json_each(?))`,
          )
          .run(kept);
      }
    })();
  }

  position(id: string): IntegrationPosition {
    const row = this.#db.prepare('SELECT * FROM positions WHERE integration_id = ?').get(id) as
      PositionRow | undefined;
    return {
      cursor: row?.cursor ?? 0,
      consecutiveFailures: row?.consecutive_failures ?? 0,
      lastError: row?.last_error ?? null,
      delivered: row?.delivered ?? 0,
      failed: row?.failed ?? 0,
    };
  }

  /** Moves the cursor forward (never back): everything up to `seq` is done with. */
  advance(id: string, seq: number): void {
    this.#db
      .prepare('UPDATE positions SET cursor = max(cursor, ?) WHERE integration_id = ?')
      .run(seq, id);
  }

  /** Records an attempt, counts it, and keeps the last ATTEMPTS_KEPT. Success resets the streak. */
  record(id: string, attempt: DeliveryAttempt, options: { streak?: boolean } = {}): void {
    const ok = attempt.outcome === 'delivered';
    // An operator's redelivery of a parked event is off the feed: it neither ends nor extends the
    // failure streak of the event at the integration's head.
    const streak = options.streak ?? true;
    this.#db.transaction(() => {
      this.#db
        .prepare(
          `INSERT INTO attempts (integration_id, at, delivery_id, seq, outcome, status, latency_ms, error)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          ...[id, attempt.at, attempt.deliveryId, attempt.seq, attempt.outcome],
          ...[attempt.status, Math.round(attempt.latencyMs), attempt.error?.slice(0, 500) ?? null],
        );
      this.#db
        .prepare(
          ok
            ? `UPDATE positions SET delivered = delivered + 1
               ${streak ? ', consecutive_failures = 0' : ''} WHERE integration_id = ?`
            : `UPDATE positions SET failed = failed + 1, last_error = ?
               ${streak ? ', consecutive_failures = consecutive_failures + 1' : ''}
               WHERE integration_id = ?`,
        )
        .run(...(ok ? [id] : [attempt.error, id]));
      this.#db
        .prepare(
          `DELETE FROM attempts WHERE integration_id = ? AND id <= (
             SELECT id FROM attempts WHERE integration_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
        )
        .run(id, id, ATTEMPTS_KEPT);
    })();
  }

  /**
   * Parks an event and moves the cursor past it in one transaction, so a crash leaves it either
   * parked and passed or neither (then it is delivered again). The failure streak ends with it:
   * the integration is moving again.
   */
  deadLetter(id: string, letter: DeadLetter): void {
    this.#db.transaction(() => {
      this.keepDeadLetter(id, letter);
      this.#db
        .prepare(
          `UPDATE positions SET cursor = max(cursor, ?), consecutive_failures = 0
           WHERE integration_id = ?`,
        )
        .run(letter.seq, id);
    })();
  }

  /** Writes a parked event's row (a redelivery refused again updates its answer and count). */
  keepDeadLetter(id: string, letter: DeadLetter): void {
    this.#db
      .prepare(
        `INSERT OR REPLACE INTO dead_letters
           (integration_id, seq, delivery_id, at, status, error, refusals)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        ...[id, letter.seq, letter.deliveryId, letter.at],
        ...[letter.status, letter.error.slice(0, 500), letter.refusals],
      );
  }

  /** Parked events, newest first. */
  deadLetters(id: string, limit: number): DeadLetter[] {
    const rows = this.#db
      .prepare('SELECT * FROM dead_letters WHERE integration_id = ? ORDER BY seq DESC LIMIT ?')
      .all(id, limit) as DeadLetterRow[];
    return rows.map(fromRow);
  }

  deadLetterAt(id: string, seq: number): DeadLetter | undefined {
    const row = this.#db
      .prepare('SELECT * FROM dead_letters WHERE integration_id = ? AND seq = ?')
      .get(id, seq) as DeadLetterRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  deadLetterCount(id: string): number {
    const row = this.#db
      .prepare('SELECT count(*) AS n FROM dead_letters WHERE integration_id = ?')
      .get(id) as { n: number };
    return row.n;
  }

  /** Takes a parked event off the list (redelivered, or discarded); false if it was not there. */
  removeDeadLetter(id: string, seq: number): boolean {
    return (
      this.#db.prepare('DELETE FROM dead_letters WHERE integration_id = ? AND seq = ?').run(id, seq)
        .changes > 0
    );
  }

  /** The last attempts, newest first. */
  attempts(id: string, limit: number): DeliveryAttempt[] {
    const rows = this.#db
      .prepare('SELECT * FROM attempts WHERE integration_id = ? ORDER BY id DESC LIMIT ?')
      .all(id, limit) as {
      at: number;
      delivery_id: string;
      seq: number;
      outcome: 'delivered' | 'failed';
      status: number | null;
      latency_ms: number;
      error: string | null;
    }[];
    return rows.map((r) => ({
      at: r.at,
      deliveryId: r.delivery_id,
      seq: r.seq,
      outcome: r.outcome,
      status: r.status,
      latencyMs: r.latency_ms,
      error: r.error,
    }));
  }

  close(): void {
    this.#db.close();
  }
}
