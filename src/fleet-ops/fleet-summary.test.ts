import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CartPage, CartQuery, CartView } from '../entities/entity-store.js';
import { fleetCarts, fleetSummary } from './fleet-summary.js';

function cart(id: string, fields: Partial<CartView> = {}): CartView {
  return {
    deviceId: id,
    storeId: 'berlin-1',
    region: 'eu',
    connected: true,
    lastSeenAt: null,
    state: 'idle',
    batteryPct: 80,
    batteryMv: 7700,
    charging: false,
    link: 'wifi',
    rssiDbm: -60,
    firmwareVersion: '2.4.1',
    position: null,
    reportedMaintenance: false,
    maintenance: null,
    activeSessionId: null,
    lastFault: null,
    ...fields,
  };
}

describe('fleet summary', () => {
  it('counts the fleet by state, firmware, battery health, store and region', () => {
    const summary = fleetSummary([
      cart('C1', { state: 'active', batteryPct: 5 }),
      cart('C2', { batteryPct: 15, connected: false }),
      cart('C3', { storeId: 'paris-1', charging: true, firmwareVersion: '2.5.0' }),
      cart('C4', { storeId: 'austin-1', region: 'us', batteryPct: null, state: null }),
      cart('C5', { storeId: 'paris-1', reportedMaintenance: true, state: 'maintenance' }),
    ]);
    assert.equal(summary.carts, 5);
    assert.equal(summary.connected, 4);
    assert.deepEqual(summary.byState, { active: 1, idle: 2, unknown: 1, maintenance: 1 });
    assert.deepEqual(summary.byFirmware, [
      { version: '2.4.1', carts: 4 },
      { version: '2.5.0', carts: 1 },
    ]);
    assert.deepEqual(summary.byBatteryHealth, {
      good: 1,
      low: 1,
      critical: 1,
      charging: 1,
      unknown: 1,
    });
    assert.equal(summary.maintenance, 1);
    assert.deepEqual(
      summary.byStore.map((s) => [s.storeId, s.region, s.carts, s.connected]),
      [
        ['austin-1', 'us', 1, 1],
        ['berlin-1', 'eu', 2, 1],
        ['paris-1', 'eu', 2, 2],
      ],
    );
    assert.deepEqual(summary.byStore[1]?.byState, { active: 1, idle: 1 });
    assert.deepEqual(summary.byRegion, [
      { region: 'eu', carts: 4, connected: 3 },
      { region: 'us', carts: 1, connected: 1 },
    ]);
  });

  it('reads every page of carts with the filter it was given', async () => {
    const all = Array.from({ length: 2500 }, (_, i) => cart(`C${String(i).padStart(4, '0')}`));
    const asked: CartQuery[] = [];
    const entities = {
      listCarts: async (query: CartQuery): Promise<CartPage> => {
        asked.push(query);
        const from =
          query.after === undefined ? 0 : all.findIndex((c) => c.deviceId === query.after) + 1;
        const carts = all.slice(from, from + query.limit);
        return {
          carts,
          next: from + query.limit < all.length ? carts[carts.length - 1]!.deviceId : null,
        };
      },
    };
    const carts = await fleetCarts(entities, { region: 'eu' });
    assert.equal(carts.length, 2500);
    assert.equal(new Set(carts.map((c) => c.deviceId)).size, 2500);
    assert.equal(asked.length, 3);
    assert.ok(asked.every((q) => q.region === 'eu'));
  });
});
