import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeviceClass } from '../../contract/index.js';
import { silentLogger } from '../../shared/observability/logger.js';
import { PlatformMetrics } from '../../shared/observability/metrics.js';
import { ConnectedDevices } from './connected-devices.js';
import type { ConnectedDevice } from './device-broker.js';

const device = (n: number, deviceClass: DeviceClass = 'cart'): ConnectedDevice => ({
  deviceId: `CART-${String(n).padStart(4, '0')}`,
  storeId: 'berlin-1',
  deviceClass,
  certSerialHex: n.toString(16),
});

/** A metrics spy: every call on the gauge's children and the counter's, by kind. */
function spyMetrics() {
  const calls = { set: 0, inc: 0, dec: 0, counted: 0, storeUp: 0, storeDown: 0 };
  const child = {
    set: () => void calls.set++,
    inc: () => void calls.inc++,
    dec: () => void calls.dec++,
  };
  const metrics = {
    connectedDevices: { labels: () => child },
    connections: { labels: () => ({ inc: () => void calls.counted++ }) },
    cuts: {
      connected: () => void calls.storeUp++,
      disconnected: () => void calls.storeDown++,
    },
  } as unknown as PlatformMetrics;
  return { calls, metrics };
}

describe('connected devices', () => {
  it('steps the gauge once per connect and disconnect, however many devices are connected', () => {
    const { calls, metrics } = spyMetrics();
    const devices = new ConnectedDevices({ metrics, log: silentLogger(), now: Date.now });
    assert.equal(calls.set, 3, 'each class starts at 0');
    // A connect storm: a recount per connect would touch the gauge O(connected) times each.
    for (let n = 0; n < 5000; n++) devices.connected(device(n));
    for (let n = 0; n < 2000; n++) devices.disconnected(device(n));
    assert.deepEqual(calls, {
      set: 3,
      inc: 5000,
      dec: 2000,
      counted: 7000,
      storeUp: 5000,
      storeDown: 2000,
    });
  });

  it('reads per class on the platform metrics, and tells the listener', async () => {
    const metrics = new PlatformMetrics();
    const told: string[] = [];
    const devices = new ConnectedDevices({
      metrics,
      log: silentLogger(),
      now: () => 0,
      listener: {
        connected: (d) => told.push(`+${d.deviceId}`),
        disconnected: (d) => told.push(`-${d.deviceId}`),
      },
    });
    devices.connected(device(1));
    devices.connected(device(2));
    devices.connected(device(3, 'coldchain'));
    devices.disconnected(device(1));
    const values = (await metrics.connectedDevices.get()).values;
    const byClass = Object.fromEntries(values.map((v) => [v.labels['device_class'], v.value]));
    assert.deepEqual(byClass, { cart: 1, coldchain: 1, tool: 0 });
    const byStore = (await metrics.connectedByStore.get()).values.map((v) => ({
      ...v.labels,
      value: v.value,
    }));
    assert.deepEqual(byStore, [
      { device_class: 'cart', store: 'berlin-1', value: 1 },
      { device_class: 'coldchain', store: 'berlin-1', value: 1 },
    ]);
    assert.deepEqual(told, ['+CART-0001', '+CART-0002', '+CART-0003', '-CART-0001']);
  });
});
