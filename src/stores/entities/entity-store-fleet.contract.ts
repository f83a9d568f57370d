import assert from 'node:assert/strict';
import { it, type TestContext } from 'node:test';
import { TestDevice, T0 } from '../../../test-support/entity-events.js';
import type { EntityStore } from './entity-store.js';

/** The staff tablet's and ops console's queries (entity-store.contract.ts runs these). */
export function fleetContractTests(
  open: (t: TestContext) => Promise<EntityStore | undefined>,
): void {
  it('lists carts of the fleet with region, position and fault, filtered and paged by id', async (t) => {
    const store = await open(t);
    if (!store) return;
    await store.upsertStore({ storeId: 'store-1', name: 'One', region: 'eu', timezone: null });
    await store.upsertStore({ storeId: 'store-2', name: 'Two', region: 'us', timezone: null });
    const health = (id: string, storeId: string, pct: number, firmware: string) =>
      new TestDevice(id, storeId).event('health', {
        battery_pct: pct,
        firmware_version: firmware,
        location: { lat: 52.5, lon: 13.4, accuracy_m: 4, source: 'indoor' },
      });
    const faulty = new TestDevice('CART-3', 'store-1');
    await store.project([
      health('CART-2', 'store-1', 80, '2.4.1'),
      health('CART-1', 'store-1', 15, '2.5.0'),
      health('CART-9', 'store-2', 10, '2.5.0'),
      faulty.event('fault', { code: 'scanner-jam', severity: 'critical' }),
      new TestDevice('CC-1', 'store-1', 'coldchain').event('coldchain-telemetry'),
    ]);

    const all = await store.listCarts({ limit: 50 });
    assert.deepEqual(
      all.carts.map((c) => c.deviceId),
      ['CART-1', 'CART-2', 'CART-3', 'CART-9'],
      'carts only, by id',
    );
    assert.equal(all.next, null);
    const one = all.carts[0]!;
    assert.equal(one.region, 'eu');
    assert.equal(one.batteryPct, 15);
    assert.deepEqual(one.position, {
      lat: 52.5,
      lon: 13.4,
      accuracyM: 4,
      source: 'indoor',
      at: new Date(T0 + 1000).toISOString(),
    });
    assert.equal(one.maintenance, null);
    assert.deepEqual(all.carts[2]!.lastFault, {
      code: 'scanner-jam',
      severity: 'critical',
      at: new Date(T0 + 1000).toISOString(),
    });

    const ids = async (query: Parameters<EntityStore['listCarts']>[0]) =>
      (await store.listCarts(query)).carts.map((c) => c.deviceId);
    assert.deepEqual(await ids({ limit: 50, storeId: 'store-2' }), ['CART-9']);
    assert.deepEqual(await ids({ limit: 50, region: 'eu' }), ['CART-1', 'CART-2', 'CART-3']);
    assert.deepEqual(await ids({ limit: 50, firmware: '2.5.0' }), ['CART-1', 'CART-9']);
    assert.deepEqual(await ids({ limit: 50, batteryBelow: 20 }), ['CART-1', 'CART-9']);
    assert.deepEqual(await ids({ limit: 50, region: 'eu', batteryBelow: 20 }), ['CART-1']);

    const first = await store.listCarts({ limit: 3 });
    assert.equal(first.next, 'CART-3');
    assert.deepEqual(await ids({ limit: 3, after: first.next! }), ['CART-9']);
  });

  it('sets and clears the staff maintenance flag, each change a higher desired version', async (t) => {
    const store = await open(t);
    if (!store) return;
    await store.project([new TestDevice('CART-1').event('health')]);
    const set = await store.setMaintenance('CART-1', {
      reason: 'repair',
      note: 'wheel-2',
      setBy: 'staff:anna',
      at: T0,
    });
    assert.deepEqual(set, {
      reason: 'repair',
      note: 'wheel-2',
      setBy: 'staff:anna',
      setAt: new Date(T0).toISOString(),
      desiredVersion: 1,
    });
    const [listed] = (await store.listCarts({ limit: 1 })).carts;
    assert.deepEqual(listed?.maintenance, set);
    const cleared = await store.setMaintenance('CART-1', {
      reason: null,
      note: null,
      setBy: 'ops:ops-cli',
      at: T0 + 1000,
    });
    assert.equal(cleared?.reason, null);
    assert.equal(cleared?.desiredVersion, 2);
    assert.equal(
      await store.setMaintenance('CART-404', {
        reason: 'cleaning',
        note: null,
        setBy: 'x',
        at: T0,
      }),
      undefined,
    );
  });

  it('accepts a proximity nonce once per device, and prunes long-expired ones', async (t) => {
    const store = await open(t);
    if (!store) return;
    const nonce = 'AAAAAAAAAAAAAAAAAAAAAA';
    assert.equal(await store.acceptProximityNonce('CART-1', nonce, T0 + 60_000, T0), true);
    assert.equal(await store.acceptProximityNonce('CART-1', nonce, T0 + 60_000, T0 + 1), false);
    assert.equal(await store.acceptProximityNonce('CART-2', nonce, T0 + 60_000, T0 + 2), true);
    // A day later the row is gone; the verifier refuses the expired proof before asking here.
    const dayLater = T0 + 86_400_000;
    assert.equal(
      await store.acceptProximityNonce('CART-3', nonce, dayLater + 60_000, dayLater),
      true,
    );
    assert.equal(await store.acceptProximityNonce('CART-1', nonce, T0 + 60_000, dayLater), true);
  });
}
