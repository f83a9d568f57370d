import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CartView } from '../../stores/entities/entity-store.js';
import { fleetStatus } from './fleet-status.js';

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

describe('fleet status of a store', () => {
  it('counts carts by state, battery bucket, firmware, weak signal and maintenance reason', () => {
    const flag = (reason: 'cleaning' | 'repair' | null) => ({
      reason,
      note: null,
      setBy: 'staff:anna',
      setAt: '2026-11-23T10:00:00.000Z',
      desiredVersion: 1,
    });
    const status = fleetStatus('berlin-1', [
      cart('C1', { batteryPct: 19.9, rssiDbm: -81 }),
      cart('C2', { batteryPct: 20, state: 'active', connected: false }),
      cart('C3', { batteryPct: 50, firmwareVersion: '2.5.0', maintenance: flag('repair') }),
      cart('C4', { batteryPct: 50.1, rssiDbm: -80, maintenance: flag(null) }),
      cart('C5', {
        batteryPct: null,
        state: null,
        firmwareVersion: null,
        rssiDbm: null,
        reportedMaintenance: true,
      }),
    ]);
    assert.equal(status.carts, 5);
    assert.deepEqual(status.byState, { idle: 3, active: 1, unknown: 1 });
    assert.equal(status.connected, 4);
    assert.deepEqual(status.battery, { below20: 1, from20to50: 2, above50: 1, unknown: 1 });
    assert.deepEqual(status.firmware, [
      { version: '2.4.1', carts: 3 },
      { version: '2.5.0', carts: 1 },
      { version: null, carts: 1 },
    ]);
    assert.equal(status.weakSignal, 1, '-80 is not below -80');
    assert.deepEqual(status.maintenance, {
      total: 2,
      byReason: { cleaning: 0, charging: 0, repair: 1, 'reported-by-cart': 1 },
    });
  });
});
