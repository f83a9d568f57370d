import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CatalogSnapshot } from '../../contract/index.js';
import { SHELF, SITE, testCart, until } from '../../../test-support/test-cart.js';
import { VirtualClock } from '../clock/virtual-clock.js';
import { catalogDelayMs } from './shadow.js';
import { DEFAULT_TIMING } from './timing.js';

const desired = (version: number, catalogVersion: string) => ({
  schema_version: 1 as const,
  device_id: 'CART-0001',
  type: 'shadow-desired' as const,
  ts: '2026-11-23T09:00:00.000Z',
  version,
  desired: { catalog_version: catalogVersion },
});

describe('catalog version in the desired shadow', () => {
  it('fetches the new catalog after its own short delay, then reports the version it holds', async (t) => {
    const clock = new VirtualClock(Date.parse('2026-11-23T09:00:00.000Z'));
    let served: CatalogSnapshot = SHELF.catalog(SITE.storeId, 'v1');
    const fetchedAt: number[] = [];
    const catalog = {
      fetch: async (cached: string | undefined) => {
        fetchedAt.push(clock.now());
        return cached === served.version
          ? ({ status: 'not-modified' } as const)
          : ({ status: 'ok', snapshot: served } as const);
      },
    };
    const { cart, broker } = await testCart(t, { clock, extra: { catalog } });
    await cart.powerOn();
    assert.equal(cart.catalogVersion, 'v1', 'fetched at boot');
    const asked = fetchedAt.length;

    served = SHELF.catalog(SITE.storeId, 'v2');
    const sent = clock.now();
    broker.sendDesired(desired(7, 'v2'));
    const delay = catalogDelayMs('CART-0001', 'v2', DEFAULT_TIMING);
    await clock.runUntil(sent + delay - 1);
    assert.equal(fetchedAt.length, asked, 'not before its own delay');
    assert.equal(broker.of('shadow-report').length, 0, 'the report waits for the catalog');

    await clock.runUntil(sent + delay + 1000);
    await until(() => broker.of('shadow-report').length === 1, 'shadow report');
    assert.equal(cart.catalogVersion, 'v2');
    assert.ok(fetchedAt.length === asked + 1 && fetchedAt[asked]! >= sent + delay);
    const report = broker.of('shadow-report')[0]!;
    assert.equal(report.desired_version, 7);
    assert.equal(report.reported.catalog_version, 'v2');

    // The version it holds already: nothing to fetch, the report goes at once.
    broker.sendDesired(desired(8, 'v2'));
    await until(() => broker.of('shadow-report').length === 2, 'second report');
    assert.equal(fetchedAt.length, asked + 1);
  });

  it("spreads a store's carts over a few seconds, each at a delay fixed for the version", () => {
    const delays = Array.from({ length: 100 }, (_, i) =>
      catalogDelayMs(`CART-${String(i).padStart(4, '0')}`, 'v2', DEFAULT_TIMING),
    );
    assert.ok(delays.every((d) => d >= 0 && d < DEFAULT_TIMING.catalogSpreadMs));
    const seconds = new Set(delays.map((d) => Math.floor(d / 1000)));
    assert.equal(seconds.size, DEFAULT_TIMING.catalogSpreadMs / 1000, 'every second has some');
    assert.equal(catalogDelayMs('CART-0001', 'v2', DEFAULT_TIMING), delays[1]);
  });
});
