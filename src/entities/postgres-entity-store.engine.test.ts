import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TestDevice } from '../../test-support/entity-events.js';
import { POSTGRES_URL, postgresSchema } from '../../test-support/postgres.js';
import { runEntityStoreContract } from './entity-store.contract.js';
import { MIGRATIONS, migrate } from './migrations/index.js';
import { openEntityStore } from './open-entity-store.js';
import { openPostgresClient } from './sql/postgres-client.js';

runEntityStoreContract('PostgreSQL server', async (t) => {
  const schema = await postgresSchema(t);
  if (schema === undefined) return undefined;
  const store = await openEntityStore({ dataDir: '/nonexistent', url: POSTGRES_URL, schema });
  // `after` hooks run last-registered first: the pool closes before the schema is dropped.
  t.after(() => store.close());
  return store;
});

describe('PostgreSQL entity store', () => {
  it('lets concurrent migrators on one schema apply each step exactly once', async (t) => {
    const schema = await postgresSchema(t);
    if (schema === undefined) return;
    const clients = await Promise.all(
      [1, 2, 3, 4].map(() => openPostgresClient({ url: POSTGRES_URL, schema })),
    );
    t.after(() => Promise.all(clients.map((c) => c.close())));
    const applied = await Promise.all(clients.map((c) => migrate(c, MIGRATIONS)));
    assert.deepEqual(
      applied.flat().sort((a, b) => a - b),
      MIGRATIONS.map((m) => m.id),
    );
  });

  it('serialises two projectors writing the same device without losing the newer state', async (t) => {
    const schema = await postgresSchema(t);
    if (schema === undefined) return;
    const a = await openEntityStore({ dataDir: '/nonexistent', url: POSTGRES_URL, schema });
    const b = await openEntityStore({ dataDir: '/nonexistent', url: POSTGRES_URL, schema });
    t.after(() => Promise.all([a.close(), b.close()]));
    const cart = new TestDevice('CART-1');
    const events = Array.from({ length: 40 }, (_, i) => cart.event('health', { battery_pct: i }));
    await Promise.all(events.map((e, i) => (i % 2 === 0 ? a : b).project([e])));
    const view = await a.getDevice('CART-1');
    assert.equal(view?.batteryPct, 39);
    assert.equal(view?.lastCounter, 40);
  });

  it('fails with a reason, and no password, when the server cannot be reached', async () => {
    await assert.rejects(
      openEntityStore({ dataDir: '/nonexistent', url: 'postgres://u:secret@127.0.0.1:1/x' }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'entity-store-unavailable');
        assert.doesNotMatch(error.message, /secret/);
        return true;
      },
    );
  });
});
