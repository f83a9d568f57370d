import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { vaultDataDir } from '../../../test-support/vault.js';
import { openPgliteClient } from '../entities/sql/pglite-client.js';
import { openVaultsOnUse } from './open-vault.js';
import { openPgliteVaultStore, vaultDir } from './pglite-vault-store.js';
import { VaultOnUse } from './vault-on-use.js';
import { vaultStoreContract } from './vault-store.contract.js';

vaultStoreContract('opened on use, over PGlite', async (t, region) => {
  const dir = vaultDir(await vaultDataDir(t, [region]), region);
  const store = new VaultOnUse(region, () => openPgliteVaultStore(dir, region));
  await store.migrate();
  const raw = await openPgliteClient(dir);
  t.after(async () => {
    await raw.close();
    await store.close();
  });
  return {
    store,
    sql: (statement, params) => raw.query(statement, params),
    openAs: async (other) => {
      const second = new VaultOnUse(other, () => openPgliteVaultStore(dir, other));
      try {
        await second.migrate();
      } finally {
        await second.close();
      }
      return second;
    },
  };
});

describe('embedded vaults opened on use (issue 16)', () => {
  it('creates no region database until a call needs it, and counts an untouched region as empty', async (t) => {
    const dataDir = await vaultDataDir(t, []);
    const vaults = await openVaultsOnUse({ dataDir });
    t.after(() => Promise.all([...vaults.values()].map((v) => v.close())));
    const created = (region: string) => existsSync(join(dataDir, 'vault', region, 'PG_VERSION'));
    assert.equal(created('us') || created('eu'), false);
    assert.deepEqual(await vaults.get('us')!.count(), { accounts: 0, erased: 0 });
    assert.equal(created('us'), false, 'counting an untouched region opens nothing');

    const id = randomUUID();
    await vaults.get('eu')!.putAccount({ accountId: id, fields: {}, at: new Date() });
    assert.equal(created('eu'), true);
    assert.equal(created('us'), false);
    assert.equal((await vaults.get('eu')!.getAccount(id))?.region, 'eu');
    assert.deepEqual(await vaults.get('eu')!.count(), { accounts: 1, erased: 0 });
  });
});
