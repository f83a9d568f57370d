import type Database from 'better-sqlite3';
import { SqliteDatabase } from '../stores/data-dir/sqlite-driver.js';
import { chmodSync } from 'node:fs';

export type CaptureStatus = 'captured' | 'declined' | 'amount-mismatch';

/** One capture attempt: a session and the auth token the terminal gave for it. */
export interface CaptureRecord {
  readonly sessionId: string;
  readonly authToken: string;
  readonly amountCents: number;
  readonly currency: string;
  readonly status: CaptureStatus;
  readonly paymentRef: string;
  readonly capturedCents: number;
  readonly processorReference: string;
  readonly createdAt: string;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS methods (
    method_ref TEXT PRIMARY KEY,
    first_seen_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS tokens (
    payment_token TEXT PRIMARY KEY,
    method_ref TEXT NOT NULL REFERENCES methods (method_ref)
  );
  CREATE TABLE IF NOT EXISTS captures (
    session_id TEXT NOT NULL,
    auth_token TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    currency TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('captured', 'declined', 'amount-mismatch')),
    payment_ref TEXT NOT NULL UNIQUE,
    captured_cents INTEGER NOT NULL,
    processor_reference TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (session_id, auth_token)
  );`;

interface CaptureRow {
  session_id: string;
  auth_token: string;
  amount_cents: number;
  currency: string;
  status: CaptureStatus;
  payment_ref: string;
  captured_cents: number;
  processor_reference: string;
  created_at: string;
}

/**
 * The payment service's own database (DIR/payment/payment.db), which no other process opens:
 * which method reference each payment token resolved to, and every capture attempt with its
 * result, so a repeated request answers from here instead of asking the processor again. WAL with
 * synchronous=FULL: a capture the processor made is on disk before the answer leaves.
 * Request bodies are never stored, only these fields.
 */
export class PaymentStore {
  readonly #db: Database.Database;
  // Prepared once: statements prepared per call and collected after the database closed crash
  // Node 24 at exit (better-sqlite3's statement destructor runs after the environment is gone).
  readonly #methodOf: Database.Statement;
  readonly #addMethod: Database.Statement;
  readonly #addToken: Database.Statement;
  readonly #attempts: Database.Statement;
  readonly #addCapture: Database.Statement;

  /** `file` is a path, or ':memory:' for the test double. */
  constructor(file: string) {
    this.#db = new SqliteDatabase(file);
    if (file !== ':memory:') {
      // Owner only; SQLite gives the -wal and -shm files the database file's mode.
      chmodSync(file, 0o600);
      this.#db.pragma('journal_mode = WAL');
    }
    this.#db.pragma('synchronous = FULL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.pragma('foreign_keys = ON');
    this.#db.exec(SCHEMA);
    this.#methodOf = this.#db.prepare('SELECT method_ref FROM tokens WHERE payment_token = ?');
    this.#addMethod = this.#db.prepare(
      'INSERT OR IGNORE INTO methods (method_ref, first_seen_at) VALUES (?, ?)',
    );
    this.#addToken = this.#db.prepare(
      'INSERT OR IGNORE INTO tokens (payment_token, method_ref) VALUES (?, ?)',
    );
    this.#attempts = this.#db.prepare(
      'SELECT * FROM captures WHERE session_id = ? ORDER BY created_at, rowid',
    );
    this.#addCapture = this.#db.prepare(
      `INSERT INTO captures (session_id, auth_token, amount_cents, currency, status, payment_ref,
         captured_cents, processor_reference, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  methodOf(paymentToken: string): string | undefined {
    const row = this.#methodOf.get(paymentToken) as { method_ref: string } | undefined;
    return row?.method_ref;
  }

  /**
   * Records that `paymentToken` is `methodRef`; returns whether the method was new. A token
   * already recorded keeps its first reference.
   */
  recordMethod(paymentToken: string, methodRef: string, at: Date): boolean {
    return this.#db.transaction(() => {
      const added = this.#addMethod.run(methodRef, at.toISOString()).changes;
      this.#addToken.run(paymentToken, methodRef);
      return added === 1;
    })();
  }

  attempts(sessionId: string): CaptureRecord[] {
    const rows = this.#attempts.all(sessionId) as CaptureRow[];
    return rows.map(fromRow);
  }

  recordCapture(record: CaptureRecord): void {
    this.#addCapture.run(
      record.sessionId,
      record.authToken,
      record.amountCents,
      record.currency,
      record.status,
      record.paymentRef,
      record.capturedCents,
      record.processorReference,
      record.createdAt,
    );
  }

  close(): void {
    this.#db.close();
  }
}

function fromRow(row: CaptureRow): CaptureRecord {
  return {
    sessionId: row.session_id,
    authToken: row.auth_token,
    amountCents: row.amount_cents,
    currency: row.currency,
    status: row.status,
    paymentRef: row.payment_ref,
    capturedCents: row.captured_cents,
    processorReference: row.processor_reference,
    createdAt: row.created_at,
  };
}
