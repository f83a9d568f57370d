import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import pg from 'pg';
import { POSTGRES_URL, postgresSchema } from '../../../test-support/postgres.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { openVaults } from './open-vault.js';
import { openPostgresVaultStore } from './postgres-vault-store.js';
import { vaultStoreContract } from './vault-store.contract.js';

vaultStoreContract('PostgreSQL', async (t, region) => {
  // A schema per test stands in for a database per region: the store cannot tell the difference.
  const schema = await postgresSchema(t);
  if (schema === undefined) return undefined;
  const store = await openPostgresVaultStore({ url: POSTGRES_URL, region, schema });
  const raw = new pg.Client({
    connectionString: POSTGRES_URL,
    options: `-c search_path=${schema}`,
  });
  await raw.connect();
  // Registered after postgresSchema's drop: `after` hooks run in reverse, so these go first.
  t.after(async () => {
    await raw.end();
    await store.close();
  });
  await store.migrate();
  return {
    store,
    sql: async (statement, params) =>
      (await raw.query(statement, params)).rows as Record<string, unknown>[],
    openAs: async (other) => {
      const second = await openPostgresVaultStore({ url: POSTGRES_URL, region: other, schema });
      try {
        await second.migrate();
      } finally {
        await second.close();
      }
      return second;
    },
  };
});

describe('PostgreSQL vaults', () => {
  it('opens each region on its own URL and refuses swapped URLs', async (t) => {
    const us = await postgresSchema(t);
    const eu = await postgresSchema(t);
    if (us === undefined || eu === undefined) return;
    const dataDir = await tempDir(t);
    const urls = { us: POSTGRES_URL, eu: POSTGRES_URL };
    const vaults = await openVaults({ dataDir, urls, schemas: { us, eu } });
    const id = randomUUID();
    await vaults.get('eu')!.putAccount({ accountId: id, fields: {}, at: new Date() });
    assert.equal(await vaults.get('us')!.getAccount(id), undefined);
    await Promise.all([...vaults.values()].map((v) => v.close()));
    await assert.rejects(openVaults({ dataDir, urls, schemas: { us: eu, eu: us } }), {
      code: 'vault-region-mismatch',
    });
  });

  it('refuses a URL that is not postgres:// without echoing it', async () => {
    await assert.rejects(
      openPostgresVaultStore({ url: 'mysql://user:secret@host/db', region: 'us' }),
      (error: Error & { code?: string }) =>
        error.code === 'invalid-vault-url' && !error.message.includes('secret'),
    );
  });
});
