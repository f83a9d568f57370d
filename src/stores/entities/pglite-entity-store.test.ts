import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it, type TestContext } from 'node:test';
import { TestDevice } from '../../../test-support/entity-events.js';
import { runEntityStoreContract } from './entity-store.contract.js';
import { MIGRATIONS, migrate } from './migrations/index.js';
import { openEntityStore, pgliteDir } from './open-entity-store.js';
import { openPgliteClient } from './sql/pglite-client.js';
import type { SqlClient } from './sql/sql-client.js';
import type { SqlEntityStore } from './sql-entity-store.js';

// A fresh PGlite directory takes seconds to initialise (initdb in WASM); opening a copy takes a
// fraction of that. So one migrated directory is made per file and each test opens its own copy.
let template: Promise<string> | undefined;
after(async () => {
  if (template) await rm(await template, { recursive: true, force: true });
});

function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fleetplane-pglite-template-'));
    await (await openEntityStore({ dataDir: dir })).close();
    return dir;
  })();
  return template;
}

/** A data directory of its own with a migrated entity store in it, removed after the test. */
async function freshDataDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fleetplane-entities-'));
  await cp(pgliteDir(await migratedTemplate()), pgliteDir(dir), { recursive: true });
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

// The contract's ~50 tests share one database, emptied before each (every table but the migration
// record, sequences restarted): a copied directory and a PGlite start per test cost ~1.4 s of CPU
// each, the emptying a few milliseconds. The migrated state is all a test may assume.
let shared: Promise<{ dir: string; store: SqlEntityStore; client: SqlClient }> | undefined;
after(async () => {
  if (!shared) return;
  const { dir, store, client } = await shared;
  await client.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

runEntityStoreContract('PGlite', async () => {
  shared ??= (async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fleetplane-entities-'));
    return {
      dir: dataDir,
      store: await openEntityStore({ dataDir }),
      // The same instance (one per directory per process), for the emptying.
      client: await openPgliteClient(pgliteDir(dataDir)),
    };
  })();
  const { store, client } = await shared;
  await emptyEveryTable(client);
  return store;
});

async function emptyEveryTable(client: SqlClient): Promise<void> {
  // DELETE rather than TRUNCATE: TRUNCATE gives every table new files, which costs this file
  // 21 CPU s instead of 14. Foreign-key triggers are off for the emptying
  // (session_replication_role), so the order of the tables does not matter.
  const tables = await client.query<{ name: string }>(
    `SELECT quote_ident(tablename) AS name FROM pg_tables
     WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'`,
  );
  const sequences = await client.query<{ name: string }>(
    `SELECT quote_ident(sequence_name) AS name FROM information_schema.sequences
     WHERE sequence_schema = current_schema()`,
  );
  await client.transaction(async (tx) => {
    await tx.query('SET LOCAL session_replication_role = replica');
    for (const table of tables) await tx.query(`DELETE FROM ${table.name}`);
    for (const sequence of sequences) await tx.query(`ALTER SEQUENCE ${sequence.name} RESTART`);
  });
}

describe('PGlite entity store', () => {
  it('keeps its data across a close and a reopen of the directory', async (t) => {
    const dataDir = await freshDataDir(t);
    const first = await openEntityStore({ dataDir });
    await first.project([new TestDevice('CART-1').event('health', { battery_pct: 12 })]);
    await first.close();
    const second = await openEntityStore({ dataDir });
    t.after(() => second.close());
    assert.equal((await second.getDevice('CART-1'))?.batteryPct, 12);
  });

  it('shares one database instance between openers of one directory in a process', async (t) => {
    const dataDir = await freshDataDir(t);
    const a = await openEntityStore({ dataDir });
    const b = await openEntityStore({ dataDir });
    await a.project([new TestDevice('CART-1').event('health', { battery_pct: 12 })]);
    await a.close();
    // b still works: closing one reference leaves the shared instance open.
    assert.equal((await b.getDevice('CART-1'))?.batteryPct, 12);
    await b.close();
  });

  it('records each migration once, however often it runs', async (t) => {
    const client = await openPgliteClient(pgliteDir(await freshDataDir(t)));
    t.after(() => client.close());
    assert.deepEqual(await migrate(client, MIGRATIONS), []);
    const rows = await client.query<{ id: number }>('SELECT id FROM schema_migrations ORDER BY id');
    assert.deepEqual(
      rows.map((r) => Number(r.id)),
      MIGRATIONS.map((m) => m.id),
    );
  });

  it('refuses a database migrated by a newer version', async (t) => {
    const client = await openPgliteClient(pgliteDir(await freshDataDir(t)));
    t.after(() => client.close());
    await client.query("INSERT INTO schema_migrations (id, name) VALUES (999, 'future')");
    await assert.rejects(migrate(client, MIGRATIONS), { code: 'entity-schema-newer' });
  });

  it('holds no column in accounts that could identify a person', async (t) => {
    const client = await openPgliteClient(pgliteDir(await freshDataDir(t)));
    t.after(() => client.close());
    const rows = await client.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
       WHERE table_name = 'accounts' ORDER BY column_name`,
    );
    // Pseudonymous by construction: a new column here must be argued for, not slipped in.
    // loyalty_digest is a keyed HMAC (decision 020): without the key it matches nothing.
    assert.deepEqual(
      rows.map((r) => r.column_name),
      [
        'created_at',
        'customer_id',
        'deleted_at',
        'home_store_id',
        'kind',
        'loyalty_digest',
        'region',
      ],
    );
  });
});
