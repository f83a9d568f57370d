import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateDocument } from '../../contract/index.js';
import type { CatalogItem } from '../../stores/entities/entity-store.js';
import { CATALOG_WINDOW_MS, CatalogSnapshots } from './catalog-snapshots.js';

function snapshots(items: CatalogItem[], clock: { now: number }, cacheMs = 1000) {
  const asked: { storeId: string; since: number; limit: number }[] = [];
  const store = {
    listTopCatalogItems: async (storeId: string, options: { since: number; limit: number }) => {
      asked.push({ storeId, ...options });
      return items;
    },
  };
  return { asked, snapshots: new CatalogSnapshots(store, () => clock.now, cacheMs) };
}

describe('CatalogSnapshots', () => {
  const items: CatalogItem[] = [
    { sku: 'A', barcode: '1001', name: 'x'.repeat(150), priceCents: 100, category: 'fruit' },
    { sku: 'B', name: 'No barcode', priceCents: 100 },
  ];

  it("asks for the store's top 2,000 of the last 30 days and builds a valid snapshot", async () => {
    const clock = { now: Date.parse('2026-11-23T09:00:00.000Z') };
    const { asked, snapshots: s } = snapshots(items, clock);
    const snapshot = await s.forStore('berlin-1');
    assert.deepEqual(asked, [
      { storeId: 'berlin-1', since: clock.now - CATALOG_WINDOW_MS, limit: 2000 },
    ]);
    assert.ok(validateDocument('catalog', snapshot).ok);
    assert.equal(snapshot.items.length, 1, 'no barcode, not cached');
    assert.equal(snapshot.items[0]?.name.length, 120, 'names cut to what the contract allows');
    assert.equal(snapshot.generated_at, '2026-11-23T09:00:00.000Z');
  });

  it('reuses a snapshot within the cache time and keeps the version when nothing changed', async () => {
    const clock = { now: 0 };
    const { asked, snapshots: s } = snapshots(items, clock);
    const first = await s.forStore('berlin-1');
    clock.now = 500;
    assert.equal(await s.forStore('berlin-1'), first);
    assert.equal(asked.length, 1);
    clock.now = 5000;
    const later = await s.forStore('berlin-1');
    assert.equal(asked.length, 2);
    assert.equal(later.version, first.version);
    assert.notEqual(later.generated_at, first.generated_at);
  });

  it('gives another version when an item changes', async () => {
    const clock = { now: 0 };
    const one = await snapshots(items, clock).snapshots.forStore('berlin-1');
    const changed = [{ ...items[0]!, priceCents: 101 }];
    const two = await snapshots(changed, clock).snapshots.forStore('berlin-1');
    assert.notEqual(one.version, two.version);
  });

  it('builds the snapshot again at once when the catalog was written, within the cache time', async () => {
    const clock = { now: 0 };
    const shelf = [...items];
    const { snapshots: s } = snapshots(shelf, clock, 5 * 60_000);
    const first = await s.forStore('berlin-1');
    shelf[0] = { ...items[0]!, priceCents: 101 };
    clock.now = 1000;
    assert.equal((await s.forStore('berlin-1')).version, first.version, 'cached, as before');
    const written = await s.changed('berlin-1');
    assert.notEqual(written.version, first.version);
    assert.equal(await s.forStore('berlin-1'), written, 'the new one is what carts get');
  });
});
