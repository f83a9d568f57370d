import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CatalogSnapshot } from '../../contract/index.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { CatalogCache, type CatalogFetcher } from './catalog-cache.js';
import { Flash } from './flash.js';

function snapshot(version: string, n = 3): CatalogSnapshot {
  return {
    schema_version: 1,
    type: 'catalog',
    store_id: 'berlin-1',
    version,
    generated_at: '2026-11-23T09:00:00.000Z',
    items: Array.from({ length: n }, (_, i) => ({
      sku: `SKU-${i}`,
      barcode: `400000000000${i}`,
      name: `Item ${i}`,
      price_cents: 100 + i,
      weight_g: 200,
    })),
  };
}

/** A device API stand-in: answers 304 when the cart already has the version. */
function fakeApi(current: () => CatalogSnapshot | Error) {
  const asked: (string | undefined)[] = [];
  const fetcher: CatalogFetcher = {
    fetch: async (cached) => {
      asked.push(cached);
      const c = current();
      if (c instanceof Error) throw c;
      return cached === c.version ? { status: 'not-modified' } : { status: 'ok', snapshot: c };
    },
  };
  return { fetcher, asked };
}

describe('catalog cache', () => {
  it('syncs, persists to flash, sends its version and keeps the cache on a 304', async (t) => {
    const flash = await Flash.open(await tempDir(t));
    let served: CatalogSnapshot | Error = snapshot('v1');
    const api = fakeApi(() => served);
    const cache = await CatalogCache.open(flash, 'berlin-1', api.fetcher);
    assert.equal(cache.lookup('4000000000001'), undefined);
    assert.equal(await cache.sync(), 'updated');
    assert.equal(cache.lookup('4000000000001')?.price_cents, 101);
    assert.equal(await cache.sync(), 'unchanged');
    assert.deepEqual(api.asked, [undefined, 'v1']);

    served = new Error('device API down');
    assert.equal(await cache.sync(), 'failed');
    assert.equal(cache.size, 3, 'a failed sync keeps what the cart had');

    const rebooted = await CatalogCache.open(flash, 'berlin-1');
    assert.equal(rebooted.version, 'v1');
    assert.equal(rebooted.lookup('4000000000002')?.sku, 'SKU-2');
  });

  it('holds at most 2,000 items and refuses another store', async (t) => {
    const flash = await Flash.open(await tempDir(t));
    const cache = await CatalogCache.open(flash, 'berlin-1');
    await cache.install({ ...snapshot('big', 2100) });
    assert.equal(cache.size, 2000);
    await assert.rejects(cache.install({ ...snapshot('x'), store_id: 'paris-1' }));
    assert.equal(await cache.sync(), 'no-source');
  });
});
