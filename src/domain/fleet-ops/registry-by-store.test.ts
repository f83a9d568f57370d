import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeviceId, StoreId } from '../../contract/ids.js';
import { registryByStore } from './registry-by-store.js';

const record = (serial: string, store: string) => ({
  serial: serial as DeviceId,
  store: store as StoreId,
  class: 'cart' as const,
  status: 'active' as const,
  how: 'provisioned' as const,
  registered_at: '2026-11-23T09:00:00.000Z',
});

function registry() {
  const state = {
    stamp: 1,
    now: 0,
    lists: 0,
    records: [record('CART-1', 's1'), record('CART-2', 's2')],
  };
  const byStore = registryByStore({
    list: async () => {
      state.lists++;
      return [...state.records];
    },
    stamp: async () => state.stamp,
    maxAgeMs: 60_000,
    now: () => state.now,
  });
  return { state, byStore };
}

describe("a store's registry records", () => {
  it('reads the registry once while it does not change', async () => {
    const { state, byStore } = registry();
    assert.deepEqual(
      (await byStore('s1')).map((r) => r.serial),
      ['CART-1'],
    );
    assert.deepEqual(
      (await byStore('s2')).map((r) => r.serial),
      ['CART-2'],
    );
    assert.deepEqual(await byStore('s3'), []);
    assert.equal(state.lists, 1);
  });

  it('reads it again when it changed, and when the index is older than its maximum age', async () => {
    const { state, byStore } = registry();
    await byStore('s1');
    state.records.push(record('CART-3', 's1'));
    state.stamp = 2;
    assert.deepEqual(
      (await byStore('s1')).map((r) => r.serial),
      ['CART-1', 'CART-3'],
    );
    assert.equal(state.lists, 2);
    // A change the stamp did not show (two within its resolution) is seen after the maximum age.
    state.records.push(record('CART-4', 's1'));
    assert.equal((await byStore('s1')).length, 2);
    state.now = 60_000;
    assert.equal((await byStore('s1')).length, 3);
    assert.equal(state.lists, 3);
  });
});
