import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tempDir } from '../../../../test-support/temp-dir.js';
import { dataLayout } from '../../../stores/data-dir/index.js';
import { isFailure } from '../../../shared/failure.js';
import { addStore } from './add-store.js';
import { FileStoreRegistry } from './file-store-registry.js';
import { runStoreRegistryContract } from './store-registry.contract.js';

runStoreRegistryContract('file', async (t) => new FileStoreRegistry(dataLayout(await tempDir(t))));

describe('addStore', () => {
  const now = new Date('2026-05-01T00:00:00Z');

  it('reports an existing store when the same add is repeated', async (t) => {
    const stores = new FileStoreRegistry(dataLayout(await tempDir(t)));
    const request = { id: 'berlin-1', name: 'Berlin 1', region: 'eu' as const };
    assert.equal((await addStore(stores, request, now)).created, true);
    const again = await addStore(stores, request, new Date('2027-01-01T00:00:00Z'));
    assert.equal(again.created, false);
    assert.equal(again.store.created_at, now.toISOString());
  });

  it('refuses an add that conflicts with the existing store', async (t) => {
    const stores = new FileStoreRegistry(dataLayout(await tempDir(t)));
    await addStore(stores, { id: 'berlin-1', name: 'Berlin 1', region: 'eu' }, now);
    for (const conflicting of [
      { id: 'berlin-1', name: 'Berlin One', region: 'eu' as const },
      { id: 'berlin-1', name: 'Berlin 1', region: 'us' as const },
    ]) {
      await assert.rejects(addStore(stores, conflicting, now), (e) => {
        assert.ok(isFailure(e));
        assert.equal(e.code, 'store-conflict');
        return true;
      });
    }
  });

  it('refuses an invalid id and an unknown time zone', async (t) => {
    const stores = new FileStoreRegistry(dataLayout(await tempDir(t)));
    for (const request of [
      { id: '../etc', name: 'x' },
      { id: 'ok', name: 'x', timezone: 'Mars/Olympus' },
    ]) {
      await assert.rejects(addStore(stores, request, now), (e) => {
        assert.ok(isFailure(e));
        assert.equal(e.code, 'invalid-store');
        return true;
      });
    }
  });
});
