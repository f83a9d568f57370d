import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { StoreId } from '../../../contract/ids.js';
import type { StoreRecord, StoreRegistry } from './store-registry.js';

/** The behaviour every StoreRegistry adapter must have, given a factory for an empty one. */
export function runStoreRegistryContract(
  name: string,
  makeRegistry: (t: TestContext) => Promise<StoreRegistry>,
): void {
  describe(`StoreRegistry contract: ${name}`, () => {
    it('returns what was created', async (t) => {
      const registry = await makeRegistry(t);
      const store = sampleStore('berlin-1');
      assert.equal(await registry.create(store), 'created');
      assert.deepEqual(await registry.get(store.id), store);
    });

    it('returns undefined for a store it does not know', async (t) => {
      assert.equal(await (await makeRegistry(t)).get('nowhere' as StoreId), undefined);
    });

    it('refuses to create a store twice and keeps the first', async (t) => {
      const registry = await makeRegistry(t);
      const first = sampleStore('berlin-1');
      await registry.create(first);
      assert.equal(await registry.create({ ...first, name: 'Other' }), 'exists');
      assert.deepEqual(await registry.get(first.id), first);
    });

    it('lists every store', async (t) => {
      const registry = await makeRegistry(t);
      for (const id of ['b', 'a']) await registry.create(sampleStore(id));
      assert.deepEqual(
        (await registry.list()).map((s) => s.id),
        ['a', 'b'],
      );
    });
  });
}

function sampleStore(id: string): StoreRecord {
  return {
    id: id as StoreId,
    name: `Store ${id}`,
    region: 'eu',
    timezone: 'Europe/Berlin',
    created_at: '2026-01-01T00:00:00.000Z',
  };
}
