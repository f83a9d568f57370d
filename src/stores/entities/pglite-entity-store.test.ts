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

runEntityStoreContract('PGlite', async (t) => {
  const store = await openEntityStore({ dataDir: await freshDataDir(t) });
  // Registered after the directory's removal hook; node runs `after` hooks in reverse, so the
  // database closes before its directory goes.
  t.after(() => store.close());
  return store;
});

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
