import type Database from 'better-sqlite3';
import { SqliteDatabase } from '../data-dir/sqlite-driver.js';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { isFailure } from '../../shared/failure.js';
import { auditFailure } from './audit-errors.js';
import type {
  AuditEntry,
  AuditLog,
  AuditQuery,
  AuditRecord,
  AuditVerification,
} from './audit-log.js';
import { ChainWalk, chainRecord, checkedEntry } from './audit-record.js';
import {
  RETENTION_ACTION,
  anchorEntry,
  chainStart,
  type AuditPruneDue,
  type AuditPruneOutcome,
} from './audit-retention.js';
import type { AuditActor } from './audit-log.js';
import {
  AUDIT_COLUMNS,
  auditQuerySql,
  rowValues,
  toAuditRecord,
  type AuditRow,
} from './audit-row.js';

/** Schema steps by user_version; append, never edit a released step. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE audit_records (
     seq INTEGER PRIMARY KEY,
     at TEXT NOT NULL,
     actor_role TEXT NOT NULL,
     actor_subject TEXT NOT NULL,
     action TEXT NOT NULL,
     purpose TEXT NOT NULL,
     account_id TEXT,
     device_id TEXT,
     store_id TEXT,
     region TEXT,
     fields TEXT,
     detail TEXT,
     prev_hash TEXT NOT NULL,
     hash TEXT NOT NULL
   );
   CREATE INDEX audit_by_account ON audit_records (account_id) WHERE account_id IS NOT NULL;
   CREATE INDEX audit_by_device ON audit_records (device_id) WHERE device_id IS NOT NULL;
   CREATE INDEX audit_by_store ON audit_records (store_id) WHERE store_id IS NOT NULL;
   CREATE INDEX audit_by_at ON audit_records (at);
   CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON audit_records
   BEGIN SELECT RAISE(ABORT, 'audit records are append-only: UPDATE refused'); END;
   CREATE TRIGGER audit_records_no_delete BEFORE DELETE ON audit_records
   BEGIN SELECT RAISE(ABORT, 'audit records are append-only: DELETE refused'); END;`,
  // Decision 063: a record may go once a retention anchor in the chain covers it, and no sooner.
  `CREATE INDEX audit_anchors ON audit_records (seq) WHERE action = 'retention';
   DROP TRIGGER audit_records_no_delete;
   CREATE TRIGGER audit_records_no_delete BEFORE DELETE ON audit_records
   WHEN OLD.seq > coalesce((SELECT max(CAST(json_extract(detail, '$.deletedThrough') AS INTEGER))
                             FROM audit_records WHERE action = 'retention'), 0)
   BEGIN SELECT RAISE(ABORT, 'audit records are append-only: DELETE refused'); END;`,
];

export interface SqliteAuditLogOptions {
  /** Where record times come from; tests pass a clock they move. */
  readonly now?: () => Date;
}

/**
 * The embedded audit log: one SQLite file (e.g. DIR/audit/audit.db) in WAL mode with
 * synchronous=FULL, so a record is on disk when `append` returns. Triggers refuse UPDATE and
 * DELETE at the engine. Several processes may append to one file: each append reads the chain's
 * head and inserts after it inside one IMMEDIATE transaction, which takes SQLite's write lock
 * before the read, so two appenders can never both link to the same predecessor.
 */
export class SqliteAuditLog implements AuditLog {
  readonly #db: Database.Database;
  readonly #now: () => Date;
  readonly #head: Database.Statement<[], { seq: number; hash: string }>;
  readonly #insert: Database.Statement<unknown[]>;
  readonly #appendTx: (entry: AuditEntry) => AuditRecord;
  readonly #pruneTx: (before: Date, actor: AuditActor) => AuditPruneOutcome;

  constructor(file: string, options: SqliteAuditLogOptions = {}) {
    this.#now = options.now ?? (() => new Date());
    let db: Database.Database | undefined;
    try {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      // Created private before SQLite sees it; SQLite gives its -wal and -shm files the same mode.
      closeSync(openSync(file, 'a', 0o600));
      db = new SqliteDatabase(file);
      // Another process may hold the write lock for the length of one append.
      db.pragma('busy_timeout = 10000');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      migrate(db);
    } catch (error) {
      db?.close();
      if (isFailure(error)) throw error;
      throw auditFailure(
        'audit-log-unavailable',
        `cannot open the audit log ${file}: ${error instanceof Error ? error.message : String(error)}`,
        error,
      );
    }
    this.#db = db;
    this.#head = this.#db.prepare('SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1');
    this.#insert = this.#db.prepare(
      `INSERT INTO audit_records (${AUDIT_COLUMNS}) VALUES (${AUDIT_COLUMNS.split(',')
        .map(() => '?')
        .join(', ')})`,
    );
    const append = this.#db.transaction((entry: AuditEntry): AuditRecord => {
      const head = this.#head.get();
      const record = chainRecord(entry, (head?.seq ?? 0) + 1, this.#now(), head?.hash ?? '');
      this.#insert.run(...rowValues(record, record.at.toISOString()));
      return record;
    });
    this.#appendTx = (entry) => append.immediate(entry);
    const prune = this.#db.transaction((before: Date, actor: AuditActor): AuditPruneOutcome => {
      const due = this.#due(before);
      if (due.records === 0) return due;
      const last = this.#db
        .prepare<[number], { hash: string }>('SELECT hash FROM audit_records WHERE seq = ?')
        .get(due.through)!;
      // The anchor first: the delete trigger lets through only what an anchor covers.
      const anchor = append(
        checkedEntry(
          anchorEntry(actor, before, { seq: due.through, hash: last.hash }, due.records),
        ),
      );
      this.#db.prepare('DELETE FROM audit_records WHERE seq <= ?').run(due.through);
      return { ...due, anchor };
    });
    this.#pruneTx = (before, actor) => prune.immediate(before, actor);
  }

  async pruneDue(before: Date): Promise<AuditPruneDue> {
    return this.#due(before);
  }

  async prune(before: Date, actor: AuditActor): Promise<AuditPruneOutcome> {
    return this.#pruneTx(before, actor);
  }

  #due(before: Date): AuditPruneDue {
    // The prefix ends before the first record written at or after the cutoff: appends are
    // stamped in seq order, and a prefix is all a chain can lose and still verify.
    const row = this.#db
      .prepare<[string], { through: number | null; records: number }>(
        `SELECT max(seq) AS through, count(*) AS records FROM audit_records
         WHERE seq < coalesce((SELECT min(seq) FROM audit_records WHERE at >= ?), 9007199254740991)`,
      )
      .get(before.toISOString())!;
    return { records: row.records, through: row.through ?? 0 };
  }

  async append(entry: AuditEntry): Promise<AuditRecord> {
    return this.#appendTx(checkedEntry(entry));
  }

  async query(q: AuditQuery): Promise<AuditRecord[]> {
    const params: unknown[] = [];
    const sql = auditQuerySql(q, (value) => {
      params.push(value);
      return '?';
    });
    return this.#db
      .prepare<unknown[], AuditRow>(sql)
      .all(...params)
      .map(toAuditRecord);
  }

  async verify(): Promise<AuditVerification> {
    const anchor = this.#db
      .prepare<[string], AuditRow>(
        `SELECT ${AUDIT_COLUMNS} FROM audit_records WHERE action = ? ORDER BY seq DESC LIMIT 1`,
      )
      .get(RETENTION_ACTION);
    const walk = new ChainWalk(chainStart(anchor && toAuditRecord(anchor)));
    // One statement reads one WAL snapshot: appends by others while it runs are not half-seen.
    const rows = this.#db
      .prepare<[], AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM audit_records ORDER BY seq`)
      .iterate();
    for (const row of rows) walk.step(toAuditRecord(row));
    return walk.result();
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}

/** Applies missing steps under the write lock, so two processes opening one new file agree. */
function migrate(db: Database.Database): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > MIGRATIONS.length) {
      throw auditFailure(
        'audit-schema-newer',
        `the audit log was written by a newer fleetplane (schema ${current}); upgrade this one`,
      );
    }
    for (let v = current; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}
