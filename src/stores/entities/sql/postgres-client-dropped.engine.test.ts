import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { POSTGRES_URL, postgresSchema } from '../../../../test-support/postgres.js';
import { EntityFailure } from '../errors.js';
import { openPostgresClient } from './postgres-client.js';

// Found by the postgres-restart fault scenario (decision 050): the server going away under a
// transaction killed the entity store's thread with an unheard 'error' event.
describe('a PostgreSQL connection dropped under a transaction', () => {
  it('fails that transaction as entity-store-unavailable and the next one runs', async (t) => {
    const schema = await postgresSchema(t);
    if (schema === undefined) return;
    const client = await openPostgresClient({ url: POSTGRES_URL, schema, maxConnections: 1 });
    t.after(() => client.close());
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    t.after(() => admin.end());

    const failed = client.transaction(async (tx) => {
      const [row] = (await tx.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[];
      // As a server shutting down does to every backend.
      await admin.query('SELECT pg_terminate_backend($1)', [row!.pid]);
      await new Promise((r) => setTimeout(r, 200));
      await tx.query('SELECT 1');
    });
    await assert.rejects(failed, (error: unknown) => {
      assert.ok(error instanceof EntityFailure, String(error));
      assert.equal(error.code, 'entity-store-unavailable');
      return true;
    });
    const rows = await client.transaction((tx) => tx.query('SELECT 2 AS two'));
    assert.deepEqual(rows, [{ two: 2 }]);
  });
});
