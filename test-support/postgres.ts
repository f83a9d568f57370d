// A PostgreSQL server for engine tests: each test works in a schema of its own, dropped after it,
// so runs on one server (several Node versions in CI, a developer's loop) never collide.
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import pg from 'pg';
import { needEngine } from './engines.js';

export const POSTGRES_URL =
  process.env['FLEETPLANE_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

let reachable: Promise<string | undefined> | undefined;

/** Undefined when the server answers; otherwise why not. */
function probe(): Promise<string | undefined> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return reachable;
}

/**
 * A schema name for this test on the server, or undefined when the server is missing (the test
 * was skipped, or failed when engines are required). The schema is dropped when the test ends.
 */
export async function postgresSchema(t: TestContext): Promise<string | undefined> {
  const why = await probe();
  if (!needEngine(t, why === undefined, `PostgreSQL at ${POSTGRES_URL}: ${why}`)) return undefined;
  const schema = `fp_test_${randomBytes(6).toString('hex')}`;
  t.after(async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    } finally {
      await client.end();
    }
  });
  return schema;
}
