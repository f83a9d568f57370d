import { isFailure } from '../../shared/failure.js';
import { openPostgresClient } from '../entities/sql/postgres-client.js';
import type { SqlClient } from '../entities/sql/sql-client.js';
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
import type { SqlExecutor } from '../entities/sql/sql-client.js';
import {
  AUDIT_COLUMNS,
  auditQuerySql,
  rowValues,
  toAuditRecord,
  type AuditRow,
} from './audit-row.js';

/** Schema steps, each once, in order; append, never edit a released step. */
const MIGRATIONS: readonly { id: number; name: string; statements: readonly string[] }[] = [
  {
    id: 1,
    name: 'audit-records',
    statements: [
      `CREATE TABLE audit_records (
         seq bigint PRIMARY KEY,
         at timestamptz NOT NULL,
         actor_role text NOT NULL,
         actor_subject text NOT NULL,
         action text NOT NULL,
         purpose text NOT NULL,
         account_id text,
         device_id text,
         store_id text,
         region text,
         fields text,
         detail text,
         prev_hash text NOT NULL,
         hash text NOT NULL
       )`,
      'CREATE INDEX audit_by_account ON audit_records (account_id) WHERE account_id IS NOT NULL',
      'CREATE INDEX audit_by_device ON audit_records (device_id) WHERE device_id IS NOT NULL',
      'CREATE INDEX audit_by_store ON audit_records (store_id) WHERE store_id IS NOT NULL',
      'CREATE INDEX audit_by_at ON audit_records (at)',
      `CREATE FUNCTION audit_records_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'audit records are append-only: % refused', TG_OP;
       END
       $$`,
      `CREATE TRIGGER audit_records_no_change BEFORE UPDATE OR DELETE ON audit_records
       FOR EACH ROW EXECUTE FUNCTION audit_records_refuse_change()`,
      // Row triggers do not fire on TRUNCATE; without this one it would empty the log silently.
      `CREATE TRIGGER audit_records_no_truncate BEFORE TRUNCATE ON audit_records
       FOR EACH STATEMENT EXECUTE FUNCTION audit_records_refuse_change()`,
    ],
  },
  {
    // Decision 063: a record may go once a retention anchor in the chain covers it, and no sooner.
    id: 2,
    name: 'retention-anchors',
    statements: [
      `CREATE INDEX audit_anchors ON audit_records (seq) WHERE action = 'retention'`,
      `CREATE OR REPLACE FUNCTION audit_records_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         -- Nested: OLD does not exist for TRUNCATE, and plpgsql need not short-circuit AND.
         IF TG_OP = 'DELETE' THEN
           IF OLD.seq <= COALESCE((
               SELECT max((detail::jsonb ->> 'deletedThrough')::bigint)
               FROM audit_records WHERE action = 'retention'), 0) THEN
             RETURN OLD;
           END IF;
         END IF;
         RAISE EXCEPTION 'audit records are append-only: % refused', TG_OP;
       END
       $$`,
    ],
  },
];

/** Arbitrary constant: the first half of the advisory-lock key that serialises migrations. */
const LOCK_CLASS = 0x61756474; // 'audt'
const VERIFY_PAGE = 1000;

export interface PostgresAuditLogOptions {
  /** postgres://user[:password]@host[:port]/database */
  readonly url: string;
  /** Schema to work in (created if missing); tests isolate runs with it. */
  readonly schema?: string;
  readonly now?: () => Date;
}

/**
 * The scale-out audit log: a table on a PostgreSQL server, UPDATE, DELETE and TRUNCATE refused
 * by triggers. Appends from any number of processes form one chain: each takes the table's
 * EXCLUSIVE lock (which still lets readers through) before reading the head, so appends queue
 * and each links to the one committed before it. seq is assigned under that lock rather than
 * from a sequence, because a sequence leaves gaps on rollback and a gap reads as a removed record.
 */
export class PostgresAuditLog implements AuditLog {
  #closed = false;

  constructor(
    private readonly client: SqlClient,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Connects, creates the schema if asked, and brings the table up to date. */
  static async open(options: PostgresAuditLogOptions): Promise<PostgresAuditLog> {
    if (!/^postgres(ql)?:\/\//.test(options.url)) {
      // The text may hold a password: do not echo it.
      throw auditFailure('invalid-audit-target', 'the audit log URL must start with postgres://');
    }
    let client: SqlClient;
    try {
      client = await openPostgresClient({ url: options.url, schema: options.schema });
    } catch (error) {
      // The entity store's client speaks in its own codes; the audit log's callers match on ours.
      throw auditFailure(
        isFailure(error) && error.code === 'invalid-entity-url'
          ? 'invalid-audit-target'
          : 'audit-log-unavailable',
        error instanceof Error ? error.message : String(error),
        error,
      );
    }
    const log = new PostgresAuditLog(client, options.now);
    try {
      await log.migrate();
    } catch (error) {
      await client.close();
      throw error;
    }
    return log;
  }

  async migrate(): Promise<void> {
    await this.client.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock($1, hashtext(COALESCE(current_schema(), '')))`, [
        LOCK_CLASS,
      ]);
      await tx.query(
        `CREATE TABLE IF NOT EXISTS audit_schema_migrations (
           id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      const done = new Set(
        (await tx.query<{ id: number }>('SELECT id FROM audit_schema_migrations')).map((r) =>
          Number(r.id),
        ),
      );
      const unknown = [...done].filter((id) => !MIGRATIONS.some((m) => m.id === id));
      if (unknown.length > 0) {
        throw auditFailure(
          'audit-schema-newer',
          `the audit log was migrated by a newer fleetplane (steps ${unknown.join(', ')}); upgrade this one`,
        );
      }
      for (const step of MIGRATIONS) {
        if (done.has(step.id)) continue;
        for (const statement of step.statements) await tx.query(statement);
        await tx.query('INSERT INTO audit_schema_migrations (id, name) VALUES ($1, $2)', [
          step.id,
          step.name,
        ]);
      }
    });
  }

  async append(entry: AuditEntry): Promise<AuditRecord> {
    const checked = checkedEntry(entry);
    return this.client.transaction(async (tx) => {
      await tx.query('LOCK TABLE audit_records IN EXCLUSIVE MODE');
      return this.#appendLocked(tx, checked);
    });
  }

  async pruneDue(before: Date): Promise<AuditPruneDue> {
    return due(this.client, before);
  }

  async prune(before: Date, actor: AuditActor): Promise<AuditPruneOutcome> {
    return this.client.transaction(async (tx) => {
      await tx.query('LOCK TABLE audit_records IN EXCLUSIVE MODE');
      const found = await due(tx, before);
      if (found.records === 0) return found;
      const [last] = await tx.query<{ hash: string }>(
        'SELECT hash FROM audit_records WHERE seq = $1',
        [found.through],
      );
      const entry = anchorEntry(
        actor,
        before,
        { seq: found.through, hash: last!.hash },
        found.records,
      );
      // The anchor first: the delete trigger lets through only what an anchor covers.
      const anchor = await this.#appendLocked(tx, checkedEntry(entry));
      await tx.query('DELETE FROM audit_records WHERE seq <= $1', [found.through]);
      return { ...found, anchor };
    });
  }

  /** Appends at the head; the caller holds the table's EXCLUSIVE lock. */
  async #appendLocked(tx: SqlExecutor, checked: AuditEntry): Promise<AuditRecord> {
    const [head] = await tx.query<{ seq: string | number; hash: string }>(
      'SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1',
    );
    const seq = Number(head?.seq ?? 0) + 1;
    const record = chainRecord(checked, seq, this.now(), head?.hash ?? '');
    await tx.query(
      `INSERT INTO audit_records (${AUDIT_COLUMNS}) VALUES (${AUDIT_COLUMNS.split(',')
        .map((_, i) => `$${i + 1}`)
        .join(', ')})`,
      rowValues(record, record.at.toISOString()),
    );
    return record;
  }

  async query(q: AuditQuery): Promise<AuditRecord[]> {
    const params: unknown[] = [];
    const sql = auditQuerySql(q, (value) => {
      params.push(value);
      return `$${params.length}`;
    });
    return (await this.client.query<AuditRow>(sql, params)).map(toAuditRecord);
  }

  async verify(): Promise<AuditVerification> {
    // One snapshot for the whole walk, read page by page so a long log is never in memory at once.
    return this.client.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const [anchor] = await tx.query<AuditRow>(
        `SELECT ${AUDIT_COLUMNS} FROM audit_records WHERE action = $1 ORDER BY seq DESC LIMIT 1`,
        [RETENTION_ACTION],
      );
      const walk = new ChainWalk(chainStart(anchor && toAuditRecord(anchor)));
      // Not 0: a row whose seq was edited below 1 must still be walked, and flagged.
      let after = Number.MIN_SAFE_INTEGER;
      for (;;) {
        const rows = await tx.query<AuditRow>(
          `SELECT ${AUDIT_COLUMNS} FROM audit_records WHERE seq > $1 ORDER BY seq LIMIT $2`,
          [after, VERIFY_PAGE],
        );
        for (const row of rows) walk.step(toAuditRecord(row));
        const last = rows.at(-1);
        if (last === undefined || rows.length < VERIFY_PAGE) break;
        after = Number(last.seq);
      }
      return walk.result();
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.client.close();
  }
}

/** The prefix ends before the first record written at or after the cutoff (see the SQLite log). */
async function due(db: SqlExecutor, before: Date): Promise<AuditPruneDue> {
  const [row] = await db.query<{ through: string | number | null; records: string | number }>(
    `SELECT max(seq) AS through, count(*) AS records FROM audit_records
     WHERE seq < COALESCE((SELECT min(seq) FROM audit_records WHERE at >= $1), 9007199254740991)`,
    [before.toISOString()],
  );
  return { records: Number(row?.records ?? 0), through: Number(row?.through ?? 0) };
}
