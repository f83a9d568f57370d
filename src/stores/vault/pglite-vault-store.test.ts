import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { vaultDataDir } from '../../../test-support/vault.js';
import { openPgliteClient } from '../entities/sql/pglite-client.js';
import { openVaults } from './open-vault.js';
import { openPgliteVaultStore, vaultDir } from './pglite-vault-store.js';
import { vaultStoreContract } from './vault-store.contract.js';
import { REGIONS } from './vault-types.js';

vaultStoreContract('PGlite', async (t, region) => {
  const dir = vaultDir(await vaultDataDir(t, [region]), region);
  const store = await openPgliteVaultStore(dir, region);
  const raw = await openPgliteClient(dir);
  // Registered after the directory's removal: `after` hooks run in reverse, so these close first.
  t.after(async () => {
    await raw.close();
    await store.close();
  });
  await store.migrate();
  return {
    store,
    sql: (statement, params) => raw.query(statement, params),
    openAs: async (other) => {
      const second = await openPgliteVaultStore(dir, other);
      try {
        await second.migrate();
      } finally {
        await second.close();
      }
      return second;
    },
  };
});

describe('PGlite vaults', () => {
  it('opens one database per region under DIR/vault/<region>, private, and keeps them apart', async (t) => {
    const dataDir = await vaultDataDir(t);
    const vaults = await openVaults({ dataDir });
    t.after(() => Promise.all([...vaults.values()].map((v) => v.close())));
    assert.deepEqual([...vaults.keys()], REGIONS);
    const id = randomUUID();
    await vaults.get('eu')!.putAccount({ accountId: id, fields: {}, at: new Date() });
    assert.equal((await vaults.get('eu')!.getAccount(id))?.region, 'eu');
    assert.equal(await vaults.get('us')!.getAccount(id), undefined);
    if (process.platform !== 'win32') {
      for (const d of ['vault', 'vault/us', 'vault/eu']) {
        assert.equal((await stat(join(dataDir, d))).mode & 0o777, 0o700, d);
      }
    }
  });

  it('keeps its data across a close and a reopen', async (t) => {
    const dataDir = await vaultDataDir(t);
    const id = randomUUID();
    const first = await openVaults({ dataDir });
    await first.get('us')!.putAccount({ accountId: id, fields: {}, at: new Date() });
    await Promise.all([...first.values()].map((v) => v.close()));
    const second = await openVaults({ dataDir });
    t.after(() => Promise.all([...second.values()].map((v) => v.close())));
    assert.equal((await second.get('us')!.getAccount(id))?.accountId, id);
  });
});
