import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { POSTGRES_URL, postgresSchema } from '../../../test-support/postgres.js';
import { auditLogContract } from './audit-log.contract.js';
import { openAuditLog } from './index.js';
import { PostgresAuditLog } from './postgres-audit-log.js';

auditLogContract('PostgreSQL', async (t, now) => {
  const schema = await postgresSchema(t);
  if (schema === undefined) return undefined;
  const log = await PostgresAuditLog.open({ url: POSTGRES_URL, schema, now });
  const raw = new pg.Client({
    connectionString: POSTGRES_URL,
    options: `-c search_path=${schema}`,
  });
  await raw.connect();
  // Registered after postgresSchema's drop: node runs `after` hooks in reverse, so these go first.
  t.after(async () => {
    await raw.end();
    await log.close();
  });
  return {
    log,
    reopen: () => PostgresAuditLog.open({ url: POSTGRES_URL, schema }),
    sql: async (statement) => (await raw.query(statement)).rows as Record<string, unknown>[],
    dropGuards: async () => {
      await raw.query('DROP TRIGGER audit_records_no_change ON audit_records');
    },
  };
});

describe('PostgreSQL audit log', () => {
  it('refuses TRUNCATE, which row triggers alone would let through', async (t) => {
    const schema = await postgresSchema(t);
    if (schema === undefined) return;
    const log = await openAuditLog({ url: POSTGRES_URL, schema });
    t.after(() => log.close());
    await log.append({ actor: { role: 'ops', subject: 'bob' }, action: 'import', purpose: 'load' });
    const raw = new pg.Client({ connectionString: POSTGRES_URL });
    await raw.connect();
    t.after(() => raw.end());
    await assert.rejects(raw.query(`TRUNCATE ${schema}.audit_records`), /append-only/);
    assert.equal((await log.verify()).records, 1);
  });

  it('migrates once however many processes open it at the same moment', async (t) => {
    const schema = await postgresSchema(t);
    if (schema === undefined) return;
    const logs = await Promise.all(
      [1, 2, 3].map(() => PostgresAuditLog.open({ url: POSTGRES_URL, schema })),
    );
    t.after(() => Promise.all(logs.map((l) => l.close())));
    await Promise.all(
      logs.map((log, i) =>
        log.append({ actor: { role: 'ops', subject: `p${i}` }, action: 'export', purpose: 'x' }),
      ),
    );
    assert.deepEqual(await logs[0]!.verify(), {
      ok: true,
      records: 3,
      headHash: (await logs[1]!.query({ afterSeq: 2 }))[0]!.hash,
    });
  });

  it('fails with audit-log-unavailable when the server cannot be reached', async () => {
    await assert.rejects(
      PostgresAuditLog.open({ url: 'postgres://nobody@127.0.0.1:1/none' }),
      (error: unknown) => (error as { code?: string }).code === 'audit-log-unavailable',
    );
  });
});
